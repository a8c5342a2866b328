/**
 * Pure planning: dependency order, namespace defaulting, ownership labels.
 */
import { APP_LABEL } from '../contract';
import { KObject, keyOf, refOf } from '../kube/types';
import { UsageError } from '../errors';

/**
 * Apply order by kind (lower first). Things other objects refer to come
 * first: namespaces, CRDs, identities and config, storage; then workloads,
 * the Services and Ingresses in front of them, and policies about them.
 * Unknown kinds (custom resources) go last, after their CRDs exist.
 */
const KIND_RANK: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  PriorityClass: 2,
  StorageClass: 2,
  IngressClass: 2,
  ServiceAccount: 3,
  ClusterRole: 3,
  Role: 3,
  ClusterRoleBinding: 4,
  RoleBinding: 4,
  ConfigMap: 5,
  Secret: 5,
  LimitRange: 5,
  ResourceQuota: 5,
  NetworkPolicy: 5,
  PersistentVolume: 6,
  PersistentVolumeClaim: 6,
  Deployment: 7,
  StatefulSet: 7,
  DaemonSet: 7,
  ReplicaSet: 7,
  Pod: 7,
  Job: 7,
  CronJob: 7,
  Service: 8,
  Ingress: 9,
  HorizontalPodAutoscaler: 10,
  PodDisruptionBudget: 10,
};
const UNKNOWN_RANK = 20;

/** Built-in cluster-scoped kinds (for code paths without discovery, e.g. status without dist namespaces). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'PersistentVolume',
]);

export function kindRank(kind: string): number {
  return KIND_RANK[kind] ?? UNKNOWN_RANK;
}

/** Stable sort by kind rank (objects of one rank keep their dist order). */
export function sortForApply<T extends KObject>(objects: T[]): T[] {
  return objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => kindRank(a.o.kind) - kindRank(b.o.kind) || a.i - b.i)
    .map((x) => x.o);
}

/** Group sorted objects into tiers of equal rank: a tier is applied in parallel, tiers in order. */
export function applyTiers<T extends KObject>(objects: T[]): T[][] {
  const tiers: T[][] = [];
  let last = -1;
  for (const o of sortForApply(objects)) {
    const r = kindRank(o.kind);
    if (r !== last) tiers.push([]);
    tiers[tiers.length - 1].push(o);
    last = r;
  }
  return tiers;
}

/** Reverse order for deletion (dependents first). */
export function sortForDelete<T extends KObject>(objects: T[]): T[] {
  return sortForApply(objects).reverse();
}

export interface PrepareOptions {
  app: string;
  /** Namespace for namespaced objects that do not set one. */
  namespace: string;
  /** Whether a kind is namespaced (from discovery, or the CRD in the same dist). */
  isNamespaced: (apiVersion: string, kind: string) => boolean;
}

/**
 * The objects deploy sends: a copy of each dist object with its namespace
 * filled in and the app label ensured (so prune can find it later).
 * Throws on duplicates, which the API server would silently merge.
 */
export function prepareObjects(objects: KObject[], opts: PrepareOptions): KObject[] {
  const seen = new Set<string>();
  return objects.map((src) => {
    const obj: KObject = structuredClone(src);
    const namespaced = opts.isNamespaced(obj.apiVersion, obj.kind);
    if (namespaced && !obj.metadata.namespace) obj.metadata.namespace = opts.namespace;
    if (!namespaced) delete obj.metadata.namespace;
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [APP_LABEL]: opts.app };
    const key = keyOf(refOf(obj));
    if (seen.has(key)) throw new UsageError(`app "${opts.app}" declares ${obj.kind} ${obj.metadata.name} twice; object names must be unique`);
    seen.add(key);
    return obj;
  });
}

/** Namespaces a deploy touches: the default one plus any set explicitly on objects. */
export function namespacesOf(objects: KObject[], defaultNamespace: string): string[] {
  const set = new Set<string>([defaultNamespace]);
  for (const o of objects) if (o.metadata.namespace) set.add(o.metadata.namespace);
  return [...set].sort();
}

/** Scope of a CRD-defined kind, for kinds the cluster does not serve yet. */
export function crdScopes(objects: KObject[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const group = o.spec?.group;
    const kind = o.spec?.names?.kind;
    for (const v of o.spec?.versions ?? []) out.set(`${group}/${v.name}|${kind}`, o.spec?.scope === 'Namespaced');
  }
  return out;
}
