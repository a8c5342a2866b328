/**
 * A new namespace cannot take pods until the ServiceAccount controller has made its `default`
 * ServiceAccount: the API server refuses them, and workload controllers retry with a back-off that
 * can outgrow the deploy's wait. Whoever creates a namespace waits for it here (watched, bounded).
 */
import type { KubeClient } from './client';
import { watchUntil } from './watch-until';
import { BerthError } from '../errors';

export async function waitForDefaultServiceAccount(client: KubeClient, namespace: string, deadline: number): Promise<void> {
  await watchUntil(client, {
    path: await client.collectionPath('v1', 'ServiceAccount', namespace),
    name: 'default',
    timeoutMs: Math.max(0, deadline - Date.now()),
    timeoutError: () =>
      new BerthError(
        `namespace ${namespace} got no default ServiceAccount in time`,
        'unreachable',
        "the cluster's kube-controller-manager creates it; check that it runs (kubectl -n kube-system get pods)",
      ),
    done: (ev) => ev.type === 'ADDED' || ev.type === 'MODIFIED',
    doneOnSync: (items) => items.some((o) => o.metadata.name === 'default'),
  });
}
