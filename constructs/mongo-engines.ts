import type { MongoEngine } from './connection';

export const MONGO_PORT = 27017;

/** Official image, pinned: deploys must be reproducible. */
export const DEFAULT_MONGODB_IMAGE = 'mongo:7.0.14';
/** FerretDB 1.x with its SQLite backend, built locally for the offline test cluster (hack/local-cluster). */
export const DEFAULT_FERRETDB_IMAGE = 'berth.local/ferretdb:1.24.0';

/** Per-engine defaults the MongoDatabase construct applies. */
export interface EngineDefaults {
  readonly image: string;
  readonly containerName: string;
  /** Non-root user the server runs as; the data volume is made group-writable for it via fsGroup. */
  readonly uid: number;
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

export const ENGINES: Record<MongoEngine, EngineDefaults> = {
  // The official image's entrypoint also works as a non-root user (it only
  // drops privileges when started as root), so run it directly as `mongodb` (999).
  mongodb: { image: DEFAULT_MONGODB_IMAGE, containerName: 'mongod', uid: 999, cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' },
  // A static Go binary: any non-root uid works as long as /data/db is writable.
  ferretdb: {
    image: DEFAULT_FERRETDB_IMAGE,
    containerName: 'ferretdb',
    uid: 65532,
    cpuRequest: '100m',
    cpuLimit: '1',
    memoryRequest: '128Mi',
    memoryLimit: '512Mi',
  },
};

export const DATA_DIR = '/data/db';

export const FERRETDB_ARGS = [
  '--handler=sqlite',
  `--sqlite-url=file:${DATA_DIR}/`,
  `--state-dir=${DATA_DIR}`,
  `--listen-addr=:${MONGO_PORT}`,
  '--telemetry=disable',
];
