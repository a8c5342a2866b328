/** How a WebApp reaches a MongoDB: produced by MongoDatabase and ExternalMongoDatabase, consumed by WebApp. */

export type MongoEngine = 'mongodb' | 'ferretdb';

/** Where the credentials live: a Secret and the keys inside it. */
export interface SecretKeys {
  readonly name: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
}

export interface MongoConnectionConfig {
  /** Host the pods connect to: the Service name in the app's namespace, or an external host. */
  readonly serviceHost: string;
  readonly port: number;
  readonly databaseName: string;
  /** Connection URL without credentials (they come from `secret`). */
  readonly url: string;
  /** Credentials Secret; undefined when the database runs without authentication. */
  readonly secret?: SecretKeys;
  /** `external` for databases berth does not run. */
  readonly engine: MongoEngine | 'external';
}

/** Anything a WebApp accepts as `database`. */
export interface IMongoConnection {
  readonly connectionConfig: MongoConnectionConfig;
}

/** `mongodb://host:port/db`, with `authSource=admin` when root credentials are used (they live in the admin database). */
export function mongoUrl(host: string, port: number, databaseName: string, auth: boolean): string {
  return `mongodb://${host}:${port}/${encodeURIComponent(databaseName)}${auth ? '?authSource=admin' : ''}`;
}
