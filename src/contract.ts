/**
 * The names every stage agrees on: constructs write them at synth time,
 * deploy and verify read them back from `dist/` and from the cluster.
 * Keep this file small and stable: it is the interface between stages.
 */

/** Label put on every object berth synthesizes; deploy prunes only objects carrying it. */
export const APP_LABEL = 'berth.dev/app';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'berth';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** Field manager for server-side apply. */
export const FIELD_MANAGER = 'berth';

/**
 * On a Secret: comma-separated keys whose values berth generates at deploy
 * time (random, 32 chars). They are never written to `dist/`; deploy creates
 * them only when the Secret does not exist yet, so redeploys keep them.
 */
export const GENERATE_KEYS_ANNOTATION = 'berth.dev/generate-keys';

/** The keys a generate-keys annotation value lists (trimmed, de-duplicated, in order). */
export function parseGenerateKeys(raw: string | undefined): string[] {
  if (!raw) return [];
  return [
    ...new Set(
      raw
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    ),
  ];
}

/** On a workload: which berth construct made it, so verify knows what to check. */
export const ROLE_ANNOTATION = 'berth.dev/role';
export type Role = 'web-app' | 'mongo-database';

/** On a MongoDatabase StatefulSet: the Service, port, database name, engine and credentials Secret. */
export const MONGO_ANNOTATION = {
  service: 'berth.dev/mongo-service',
  port: 'berth.dev/mongo-port',
  database: 'berth.dev/mongo-database',
  secret: 'berth.dev/mongo-secret',
  /** `mongodb` (official image) or `ferretdb` (MongoDB wire protocol on SQLite); both run with auth unless `auth: false`. */
  engine: 'berth.dev/mongo-engine',
} as const;

/** On a WebApp Deployment: the Service name/port, HTTP readiness path and Ingress host if any. */
export const WEB_ANNOTATION = {
  service: 'berth.dev/web-service',
  port: 'berth.dev/web-port',
  healthPath: 'berth.dev/web-health-path',
  host: 'berth.dev/web-host',
} as const;

/** Where synth writes and deploy/verify read. */
export const DEFAULT_DIST_DIR = 'dist';

/** Kubernetes' own marker of the default StorageClass (used for PVCs that name none). */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/**
 * The StorageClass a PVC gets: the one it names, else (no storageClassName) the cluster's default;
 * undefined when there is none. `""` asks for no class at all (a pre-created PersistentVolume without
 * one), so it never gets the default.
 */
export function storageClassFor<T extends { metadata: { name?: string; annotations?: Record<string, string> } }>(
  classes: T[],
  requested: string | undefined,
): T | undefined {
  if (requested === '') return undefined;
  return requested !== undefined
    ? classes.find((c) => c.metadata.name === requested)
    : classes.find((c) => c.metadata.annotations?.[DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true');
}

/** A label selector (matchLabels + matchExpressions, or plain labels) as the API's labelSelector query string. */
export function selectorString(
  selector:
    { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | Record<string, string> | undefined,
): string {
  if (!selector) return '';
  const structured = 'matchLabels' in selector || 'matchExpressions' in selector;
  const sel = (structured ? selector : { matchLabels: selector }) as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/**
 * Kinds berth's constructs produce. deploy refuses any other kind in dist/
 * (cluster-scoped RBAC, Namespaces, custom resources, ...) unless the object
 * declares it: annotation ALLOW_KIND_ANNOTATION whose value is the object's
 * own kind (BerthChart prop `allowKinds` stamps it).
 */
export const CONSTRUCT_KINDS: readonly string[] = ['ConfigMap', 'Secret', 'Service', 'Deployment', 'StatefulSet', 'PodDisruptionBudget', 'Ingress'];
export const ALLOW_KIND_ANNOTATION = 'berth.dev/allow-kind';

/**
 * The app's inventory: a ConfigMap `berth-inventory-<app>` in the app's
 * target namespace, labelled INVENTORY_LABEL=<app> (not APP_LABEL, so prune
 * never lists it), recording every apiVersion/kind and namespace the app has
 * applied; prune and destroy list those, so nothing is missed after a kind
 * leaves dist/.
 */
export const INVENTORY_LABEL = 'berth.dev/inventory';
export const INVENTORY_NAME_PREFIX = 'berth-inventory-';
