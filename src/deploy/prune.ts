/**
 * Prune: delete objects this app owned that are gone from dist/ — and
 * nothing else. Pure selection logic here; the API calls are in deploy.ts.
 */
import { APP_LABEL, FIELD_MANAGER, GENERATE_KEYS_ANNOTATION } from '../contract';
import { groupOf, KObject, keyOf, refOf } from '../kube/types';

/** Kinds berth may have created; listed (by label) to find what to prune or destroy. */
const OWNED_KINDS: { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'v1', kind: 'Namespace' },
];

/**
 * OWNED_KINDS, the kinds of the app's inventory (everything it ever applied)
 * and every kind present in dist, one entry per group+kind. For a kind in
 * several, the served version of the default list wins, then dist's (what
 * the app uses now), then the recorded one.
 */
export function kindsToList(desired: KObject[], recorded: { apiVersion: string; kind: string }[] = []): { apiVersion: string; kind: string }[] {
  const out = new Map<string, { apiVersion: string; kind: string }>();
  for (const k of [...recorded, ...desired, ...OWNED_KINDS]) out.set(`${groupOf(k.apiVersion)}/${k.kind}`, { apiVersion: k.apiVersion, kind: k.kind });
  return [...out.values()];
}

/** True when berth's field manager applied this object (not a controller creating it with inherited labels). */
export function appliedByBerth(obj: KObject): boolean {
  return (obj.metadata.managedFields ?? []).some((m) => m.manager === FIELD_MANAGER && m.operation === 'Apply');
}

export type KeepReason = 'namespace' | 'generated-credentials' | 'not-applied-by-berth' | 'controlled-by-owner' | 'other-namespace' | 'terminating';

export interface PrunePlan {
  delete: KObject[];
  keep: { obj: KObject; reason: KeepReason }[];
}

export interface PruneOptions {
  app: string;
  /** Namespaces this deploy targets; namespaced objects elsewhere are never touched. */
  namespaces: string[];
}

/**
 * From live objects carrying the app label, pick those to delete:
 * labelled for this app, applied by berth, not in dist, not a Namespace
 * (deleting it would delete everything in it), not generated credentials
 * (they guard data that outlives them; destroy removes them), not a child of
 * another object (e.g. PVCs from volumeClaimTemplates), in a target namespace.
 */
export function planPrune(live: KObject[], desired: KObject[], opts: PruneOptions): PrunePlan {
  const want = new Set(desired.map((o) => keyOf(refOf(o))));
  const plan: PrunePlan = { delete: [], keep: [] };
  for (const obj of live) {
    if (obj.metadata.labels?.[APP_LABEL] !== opts.app) continue;
    if (want.has(keyOf(refOf(obj)))) continue;
    const ns = obj.metadata.namespace;
    let reason: KeepReason | undefined;
    if (obj.kind === 'Namespace') reason = 'namespace';
    else if (ns && !opts.namespaces.includes(ns)) reason = 'other-namespace';
    else if (obj.metadata.deletionTimestamp) reason = 'terminating';
    else if ((obj.metadata.ownerReferences ?? []).some((r) => r.controller)) reason = 'controlled-by-owner';
    else if (!appliedByBerth(obj)) reason = 'not-applied-by-berth';
    else if (obj.kind === 'Secret' && obj.metadata.annotations?.[GENERATE_KEYS_ANNOTATION]) reason = 'generated-credentials';
    if (reason) plan.keep.push({ obj, reason });
    else plan.delete.push(obj);
  }
  return plan;
}
