/**
 * The recorder's proxy against a fake API server: it passes answers through
 * unchanged and keeps them, plain and JSON, and records each watch line with
 * its time, and whether the server or the client ended the stream.
 */
import { RecordingProxy } from '../../recordings/proxy';
import { FakeApi, fakeContext, sendJson, startFakeApi } from '../support/fake-api';
import { KubeClient, WatchEvent } from '../../../src/kube/client';

let api: FakeApi;
const cm = (name: string, rv: number) => ({ metadata: { name, namespace: 'ns', resourceVersion: String(rv) } });

beforeAll(async () => {
  api = await startFakeApi((req, res, u) => {
    if (u.pathname === '/api/v1') return sendJson(res, 200, { resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: [] }] });
    if (u.pathname === '/api/v1/namespaces/ns/pods/p/log') {
      res.setHeader('content-type', 'text/plain');
      return res.end('line 1\nline 2\n');
    }
    if (u.pathname === '/api/v1/namespaces/ns/configmaps' && u.searchParams.get('watch') === 'true') {
      res.setHeader('content-type', 'application/json');
      res.write(`${JSON.stringify({ type: 'ADDED', object: cm('a', 2) })}\n`);
      // Two events in one chunk, the second split across chunks.
      const two = `${JSON.stringify({ type: 'MODIFIED', object: cm('a', 3) })}\n${JSON.stringify({ type: 'MODIFIED', object: cm('a', 4) })}\n`;
      setTimeout(() => res.write(two.slice(0, two.length - 10)), 20);
      setTimeout(() => res.write(two.slice(two.length - 10)), 40);
      if (u.searchParams.get('labelSelector') === 'end=server') setTimeout(() => res.end(), 60);
      return;
    }
    if (u.pathname === '/api/v1/namespaces/ns/configmaps') return sendJson(res, 200, { items: [cm('a', 1)] });
    sendJson(res, 404, { kind: 'Status', message: 'nope', code: 404 });
  });
});
afterAll(() => api.close());

async function throughProxy(fn: (c: KubeClient) => Promise<void>): Promise<RecordingProxy> {
  const proxy = new RecordingProxy(fakeContext(api.base));
  const c = await KubeClient.fromContext(fakeContext(await proxy.start()));
  proxy.begin();
  try {
    await fn(c);
  } finally {
    c.close();
    await proxy.close();
  }
  return proxy;
}

it('records plain answers as JSON or text, passing them through unchanged', async () => {
  let logs = '';
  const p = await throughProxy(async (c) => {
    expect((await c.list('v1', 'ConfigMap', { namespace: 'ns' })).map((o) => o.metadata.name)).toEqual(['a']);
    logs = await c.logs('ns', 'p', 'app');
    expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'gone' })).toBeUndefined();
  });
  expect(logs).toBe('line 1\nline 2\n');
  expect(p.exchanges.map((x) => [x.method, x.path, x.status])).toEqual([
    ['GET', '/api/v1', 200],
    ['GET', '/api/v1/namespaces/ns/configmaps', 200],
    ['GET', '/api/v1/namespaces/ns/pods/p/log', 200],
    ['GET', '/api/v1/namespaces/ns/configmaps/gone', 404],
  ]);
  expect(p.exchanges[1].body).toEqual({ items: [cm('a', 1)] });
  expect(p.exchanges[1].query).toEqual({ limit: '500' });
  expect(p.exchanges[2].text).toBe('line 1\nline 2\n');
});

it.each([
  { by: 'server', selector: 'end=server', ended: true },
  { by: 'client', selector: 'end=client', ended: false },
])('records each watch line with its time; the end only when the $by ends it', async ({ selector, ended }) => {
  const seen: string[] = [];
  const p = await throughProxy(
    (c) =>
      new Promise<void>((resolve, reject) => {
        const w = c.watch(
          '/api/v1/namespaces/ns/configmaps',
          { labelSelector: selector },
          (ev: WatchEvent) => {
            seen.push(`${ev.type} ${ev.object.metadata.resourceVersion}`);
            if (ev.object.metadata.resourceVersion === '4') setTimeout(() => (w.stop(), resolve()), 100);
          },
          reject,
        );
      }),
  );
  expect(seen.slice(0, 4)).toEqual(['ADDED 1', 'ADDED 2', 'MODIFIED 3', 'MODIFIED 4']); // a server-ended watch may relist after
  const watch = p.exchanges.find((x) => x.query.watch === 'true')!;
  expect(watch.events!.map((e) => (e.event as any).object.metadata.resourceVersion)).toEqual(['2', '3', '4']);
  const times = watch.events!.map((e) => e.at);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(times[2]).toBeGreaterThanOrEqual(times[0] + 30);
  expect(watch.endedAt !== undefined).toBe(ended);
});
