import { KubeApiError, KubeClient } from '../../../../src/kube/client';
import { evictPod, setUnschedulable } from '../../../../src/verify/nodes/eviction';

/** Answers each request with the next scripted outcome and records what was asked. */
function scripted(outcomes: (number | 'ok')[]) {
  const calls: { method: string; path: string; body?: unknown; contentType?: string }[] = [];
  const client = {
    async request(method: string, path: string, opts: { body?: unknown; contentType?: string } = {}) {
      calls.push({ method, path, body: opts.body, contentType: opts.contentType });
      const o = outcomes.shift() ?? 'ok';
      if (o !== 'ok') throw new KubeApiError(o === 429 ? "Cannot evict pod as it would violate the pod's disruption budget." : 'nope', o);
      return {};
    },
  } as unknown as KubeClient;
  return { client, calls };
}

test('eviction is retried while the PodDisruptionBudget answers 429', async () => {
  const { client, calls } = scripted([429, 429, 'ok']);
  let now = 0;
  const r = await evictPod(client, 'shop', 'web-1', { timeoutMs: 60_000, sleep: async (ms) => void (now += ms), now: () => now });
  expect(r).toEqual({ pod: 'web-1', refusals: 2, ms: 2000 });
  expect(calls).toHaveLength(3);
  expect(calls[0]).toMatchObject({
    method: 'POST',
    path: '/api/v1/namespaces/shop/pods/web-1/eviction',
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'shop' } },
  });
});

test('eviction gives up after the timeout naming the pod, and a gone pod counts as evicted', async () => {
  let now = 0;
  const refused = scripted(Array(100).fill(429));
  await expect(evictPod(refused.client, 'shop', 'web-1', { timeoutMs: 5000, sleep: async (ms) => void (now += ms), now: () => now })).rejects.toThrow(
    /eviction of pod shop\/web-1 refused 6 times over 5s/,
  );
  const gone = scripted([404]);
  await expect(evictPod(gone.client, 'shop', 'web-1', { timeoutMs: 5000 })).resolves.toMatchObject({ refusals: 0 });
  const forbidden = scripted([403]);
  await expect(evictPod(forbidden.client, 'shop', 'web-1', { timeoutMs: 5000 })).rejects.toThrow('nope');
});

test('cordon and uncordon patch spec.unschedulable (null removes it)', async () => {
  const { client, calls } = scripted(['ok', 'ok']);
  await setUnschedulable(client, 'berth-local-2', true);
  await setUnschedulable(client, 'berth-local-2', false);
  expect(calls.map((c) => [c.method, c.path, c.body, c.contentType])).toEqual([
    ['PATCH', '/api/v1/nodes/berth-local-2', { spec: { unschedulable: true } }, 'application/merge-patch+json'],
    ['PATCH', '/api/v1/nodes/berth-local-2', { spec: { unschedulable: null } }, 'application/merge-patch+json'],
  ]);
});
