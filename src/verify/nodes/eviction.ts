import { isNotFound, KubeApiError, KubeClient } from '../../kube/client';

/** Cordon/uncordon and the Eviction API, which honours PodDisruptionBudgets (429 = not now). */

export async function setUnschedulable(client: KubeClient, node: string, unschedulable: boolean): Promise<void> {
  await client.request('PATCH', `/api/v1/nodes/${encodeURIComponent(node)}`, {
    body: { spec: { unschedulable: unschedulable || null } },
    contentType: 'application/merge-patch+json',
  });
}

export interface EvictionResult {
  pod: string;
  /** Times the API answered 429 (a PodDisruptionBudget allowed no disruption yet). */
  refusals: number;
  ms: number;
}

/**
 * Evict one pod; on 429 try again every `retryMs` until `timeoutMs` (the PDB allows it once a
 * replacement is ready elsewhere). A pod already gone counts as evicted.
 */
export async function evictPod(
  client: KubeClient,
  namespace: string,
  pod: string,
  opts: { timeoutMs: number; retryMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number },
): Promise<EvictionResult> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const t0 = now();
  let refusals = 0;
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/eviction`;
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } };
  for (;;) {
    try {
      await client.request('POST', path, { body });
      return { pod, refusals, ms: now() - t0 };
    } catch (e) {
      if (isNotFound(e)) return { pod, refusals, ms: now() - t0 };
      if (!(e instanceof KubeApiError) || e.status !== 429) throw e;
      refusals++;
      if (now() - t0 >= opts.timeoutMs) {
        throw new Error(`eviction of pod ${namespace}/${pod} refused ${refusals} times over ${Math.round((now() - t0) / 1000)}s: ${e.message}`, { cause: e });
      }
      await sleep(opts.retryMs ?? 1000);
    }
  }
}
