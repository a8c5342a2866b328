/**
 * Which pods belong to the revision a workload is rolling out (pure). Old
 * pods of a previous, bad revision are going away, so their troubles say
 * nothing about the new one.
 */
import type { KObject } from '../kube/types';
import { DEPLOYMENT, groupKindOf, STATEFUL_SET } from './readiness';

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** pod-template-hash of the Deployment's newest ReplicaSet (the revision being rolled out), if listed yet. */
export function newestReplicaSetHash(deployment: KObject, replicaSets: KObject[]): string | undefined {
  const uid = deployment.metadata.uid;
  const owned = replicaSets.filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.uid === uid));
  const rev = (rs: KObject): number => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  const newest = [...owned].sort((a, b) => rev(b) - rev(a))[0];
  return newest?.metadata.labels?.['pod-template-hash'];
}

/** The controller has not yet acted on the current spec, so its newest ReplicaSet may be an old one. */
export function rolloutUnobserved(workload: KObject): boolean {
  return (workload.status?.observedGeneration ?? 0) < (workload.metadata.generation ?? 0);
}

/**
 * Whether a pod is of the current revision: a StatefulSet's update revision
 * (any pod while it reports none), a Deployment's newest ReplicaSet hash
 * (no pod while it is unknown); other workloads have one revision.
 */
export function isCurrentRevision(workload: KObject, pod: KObject, deploymentHash?: string): boolean {
  const labels = pod.metadata.labels ?? {};
  const gk = groupKindOf(workload);
  if (gk === STATEFUL_SET) {
    const rev = workload.status?.updateRevision;
    return !rev || labels['controller-revision-hash'] === rev;
  }
  if (gk === DEPLOYMENT) return deploymentHash !== undefined && labels['pod-template-hash'] === deploymentHash;
  return true;
}
