/** Whether a pod is of the revision being rolled out, looking up a Deployment's ReplicaSets when needed. */
import { DEPLOYMENT } from '../../health/readiness';
import { isCurrentRevision, newestReplicaSetHash, rolloutUnobserved } from '../../health/revision';
import type { KubeClient } from '../../kube/client';
import type { KObject } from '../../kube/types';
import { selectorString } from '../../contract';
import type { Tracked } from './tracked';

export class Revisions {
  /** deployment key@generation@observedGeneration -> pod-template-hash of its newest ReplicaSet. */
  private readonly hashes = new Map<string, string>();

  constructor(private readonly client: KubeClient) {}

  async isCurrent(workload: Tracked, pod: KObject): Promise<boolean> {
    const hash = workload.groupKind === DEPLOYMENT ? await this.deploymentHash(workload) : undefined;
    return isCurrentRevision(workload.obj, pod, hash);
  }

  private async deploymentHash(d: Tracked): Promise<string | undefined> {
    const cacheKey = `${d.key}@${d.obj.metadata.generation}@${d.obj.status?.observedGeneration}`;
    const cached = this.hashes.get(cacheKey);
    if (cached !== undefined) return cached;
    if (rolloutUnobserved(d.obj)) return undefined;
    const replicaSets = await this.client.list('apps/v1', 'ReplicaSet', {
      namespace: d.obj.metadata.namespace,
      labelSelector: selectorString(d.obj.spec?.selector),
    });
    const hash = newestReplicaSetHash(d.obj, replicaSets);
    // Cache only a found hash: right after an update the new ReplicaSet may not be listed yet.
    if (hash) this.hashes.set(cacheKey, hash);
    return hash;
  }
}
