import type { KubeClient, WatchEvent } from '../../../src/kube/client';
import type { KObject } from '../../../src/kube/types';
import { watchUntil } from '../../../src/kube/watch-until';

/** A client whose single watch is driven by the test. */
function fakeClient() {
  const calls: { query: Record<string, string | undefined>; stopped: boolean }[] = [];
  let handlers: { onEvent: (ev: WatchEvent) => void; onError: (e: Error) => void; onSync?: (items: KObject[]) => void } | undefined;
  const client = {
    watch(_path: string, query: Record<string, string | undefined>, onEvent: any, onError: any, onSync?: any) {
      const call = { query, stopped: false };
      calls.push(call);
      handlers = { onEvent, onError, onSync };
      return { stop: () => (call.stopped = true) };
    },
  } as unknown as KubeClient;
  return { client, calls, h: () => handlers! };
}

const cm = (name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

describe('watchUntil', () => {
  const base = { path: '/api/v1/namespaces/default/configmaps', name: 'a', timeoutMs: 1000, timeoutError: () => new Error('timed out') };

  it('resolves on the first matching event, watching only that name, and stops the watch', async () => {
    const f = fakeClient();
    const p = watchUntil(f.client, { ...base, done: (ev) => ev.type === 'DELETED' });
    f.h().onEvent({ type: 'MODIFIED', object: cm('a') });
    expect(f.calls[0].stopped).toBe(false);
    f.h().onEvent({ type: 'DELETED', object: cm('a') });
    await expect(p).resolves.toBeUndefined();
    expect(f.calls[0]).toEqual({ query: { fieldSelector: 'metadata.name=a' }, stopped: true });
  });

  it('resolves when a relist shows the state (doneOnSync)', async () => {
    const f = fakeClient();
    const p = watchUntil(f.client, { ...base, done: () => false, doneOnSync: (items) => items.length === 0 });
    f.h().onSync!([cm('a')]);
    f.h().onSync!([]);
    await expect(p).resolves.toBeUndefined();
    expect(f.calls[0].stopped).toBe(true);
  });

  it('passes no sync callback without doneOnSync', () => {
    const f = fakeClient();
    void watchUntil(f.client, { ...base, timeoutMs: 0, done: () => false }).catch(() => undefined);
    expect(f.h().onSync).toBeUndefined();
  });

  it('rejects with the timeout error and stops the watch', async () => {
    const f = fakeClient();
    await expect(watchUntil(f.client, { ...base, timeoutMs: 10, done: () => false })).rejects.toThrow('timed out');
    expect(f.calls[0].stopped).toBe(true);
  });

  it('rejects with a watch error', async () => {
    const f = fakeClient();
    const p = watchUntil(f.client, { ...base, done: () => false });
    f.h().onError(new Error('403 forbidden'));
    await expect(p).rejects.toThrow('403 forbidden');
  });
});
