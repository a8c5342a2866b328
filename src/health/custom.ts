/**
 * Readiness of custom resources, which have no rule of their own: the
 * status conventions most controllers follow and kstatus reads.
 */
import { groupOf, KObject } from '../kube/types';
import { failed, Health, progressing, ready } from './health';

/** API groups served by Kubernetes itself; any other group is a custom resource (CRD or aggregated API). */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'extensions',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

export function isCustomResource(obj: Pick<KObject, 'apiVersion'>): boolean {
  return !BUILT_IN_GROUPS.has(groupOf(obj.apiVersion));
}

interface Condition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/** ": Reason: message" of a condition, or nothing when it gives neither. */
function detail(c: Condition): string {
  const text = [c.reason, c.message].filter(Boolean).join(': ');
  return text ? `: ${text}` : '';
}

/**
 * Custom resources, by the conventions most controllers follow (and kstatus
 * reads): the controller has observed the current generation, then the
 * `Ready` condition decides. `Stalled=True` is a failure and
 * `Reconciling=True` is still in progress. A resource that reports no
 * `Ready` condition has no readiness to wait for (like kstatus's "Current").
 */
export function customResourceHealth(obj: KObject, minGeneration = 0): Health {
  const generation = obj.metadata.generation ?? 0;
  if (generation < minGeneration) return progressing('waiting for the applied spec to be visible');
  const observed = obj.status?.observedGeneration;
  if (typeof observed === 'number' && observed < generation) {
    return progressing(`waiting for the controller to observe generation ${generation} (observed ${observed})`);
  }
  const conditions = (Array.isArray(obj.status?.conditions) ? obj.status.conditions : []) as Condition[];
  const cond = (type: string): Condition | undefined => conditions.find((c) => c.type === type);
  const stalled = cond('Stalled');
  if (stalled?.status === 'True') return failed(`Stalled${detail(stalled)}`);
  const reconciling = cond('Reconciling');
  if (reconciling?.status === 'True') return progressing(`Reconciling${detail(reconciling)}`);
  const readyCond = cond('Ready');
  if (!readyCond) return ready('applied (no Ready condition reported)');
  if (typeof readyCond.observedGeneration === 'number' && readyCond.observedGeneration < generation) {
    return progressing(`Ready condition is from generation ${readyCond.observedGeneration}, waiting for generation ${generation}`);
  }
  if (readyCond.status === 'True') return ready(`Ready${detail(readyCond)}`);
  return progressing(`not Ready (${readyCond.status ?? 'Unknown'})${detail(readyCond)}`);
}
