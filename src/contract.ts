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

/** On a workload: which berth construct made it, so verify knows what to check. */
export const ROLE_ANNOTATION = 'berth.dev/role';
export type Role = 'web-app' | 'mongo-database';

/** On a MongoDatabase StatefulSet: the Service, port, database name and credentials Secret. */
export const MONGO_SERVICE_ANNOTATION = 'berth.dev/mongo-service';
export const MONGO_PORT_ANNOTATION = 'berth.dev/mongo-port';
export const MONGO_DATABASE_ANNOTATION = 'berth.dev/mongo-database';
export const MONGO_SECRET_ANNOTATION = 'berth.dev/mongo-secret';
/** `mongodb` (official image) or `ferretdb` (MongoDB wire protocol on SQLite); both run with auth unless `auth: false`. */
export const MONGO_ENGINE_ANNOTATION = 'berth.dev/mongo-engine';

/** On a WebApp Deployment: the Service name/port, HTTP readiness path and Ingress host if any. */
export const WEB_SERVICE_ANNOTATION = 'berth.dev/web-service';
export const WEB_PORT_ANNOTATION = 'berth.dev/web-port';
export const WEB_HEALTH_PATH_ANNOTATION = 'berth.dev/web-health-path';
export const WEB_HOST_ANNOTATION = 'berth.dev/web-host';

/** Where synth writes and deploy/verify read. */
export const DEFAULT_DIST_DIR = 'dist';
