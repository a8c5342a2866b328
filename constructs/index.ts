export { BerthChart, BerthChartProps } from './chart';
export {
  WebApp,
  WebAppProps,
  IngressOptions,
  DatabaseEnvNames,
  ServiceType,
  SecretEnvSource,
  SecretKeyRef,
  GeneratedSecret,
  CONFIG_HASH_ANNOTATION,
} from './web-app';
export { MongoDatabase, MongoDatabaseProps, StorageOptions, ExistingSecret, STORAGE_ANNOTATION } from './mongo-database';
export { ExternalMongoDatabase, ExternalMongoDatabaseProps } from './external-mongo';
export { IMongoConnection, MongoConnectionConfig, MongoEngine, SecretKeys } from './connection';
export { ProbeOptions, ResourceOptions, PullPolicy } from './pod';
export { DEFAULT_MONGODB_IMAGE, DEFAULT_FERRETDB_IMAGE, MONGO_PORT } from './mongo-engines';
