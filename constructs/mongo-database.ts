// Longer than most modules on purpose: one construct, its props with their TSDoc (the API reference is
// generated from them), their validation and the five objects it makes; engines live in mongo-engines.ts.
import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import * as objects from './objects';
import { GENERATE_KEYS_ANNOTATION, MONGO_ANNOTATION, ROLE_ANNOTATION } from '../src/contract';
import { BerthChart } from './chart';
import { IMongoConnection, MongoConnectionConfig, MongoEngine, mongoUrl, SecretKeys } from './connection';
import { baseName } from './names';
import { DATA_DIR, ENGINES, FERRETDB_ARGS, MONGO_PORT } from './mongo-engines';
import { hardenedContainer, probe, PullPolicy, pullPolicy, resources, ResourceOptions } from './pod';
import { Problems, show } from './problems';
import { booleanProp, constructProps, knownKeys, objectProp } from './shapes';
import { objectLabels, selectorLabels } from './labels';
import * as rules from './rules';

/** Annotation on the StatefulSet: `persistent` (PVC per replica) or `ephemeral` (emptyDir, data lost with the pod). */
export const STORAGE_ANNOTATION = 'berth.dev/storage';

export interface StorageOptions {
  /** PVC size per replica. @default '1Gi' */
  readonly size?: string;
  /** StorageClass of the PVC. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * UNSAFE: keep the data in an emptyDir, so it is lost whenever the pod is
   * re-created. Exists for tests that must see data loss; never use it for real data.
   */
  readonly ephemeral?: boolean;
}

export interface ExistingSecret {
  readonly name: string;
  /** @default 'username' */
  readonly usernameKey?: string;
  /** @default 'password' */
  readonly passwordKey?: string;
}

export interface MongoDatabaseProps {
  /** Object name. @default `<app>-<construct id>` */
  readonly name?: string;
  /** `mongodb` (official image, auth on) or `ferretdb` (MongoDB wire protocol on SQLite). @default 'mongodb' */
  readonly engine?: MongoEngine;
  /** @default a pinned tag per engine (mongo:7.0.14, berth.local/ferretdb:1.24.0) */
  readonly image?: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: PullPolicy;
  /** Database the app uses (part of MONGO_URL). @default 'app' */
  readonly databaseName?: string;
  /** A size such as '1Gi', or storage options. @default `{ size: '1Gi' }` */
  readonly storage?: string | StorageOptions;
  /** Root user name, stored (not secret) in the generated Secret. @default 'root' */
  readonly username?: string;
  /** Use credentials from this existing Secret instead of generating them at deploy time. */
  readonly existingSecret?: string | ExistingSecret;
  /** Run with authentication (FerretDB: its new auth, SCRAM users in the admin database). @default true */
  readonly auth?: boolean;
  /** @default per engine, e.g. mongodb 250m/1 CPU, 512Mi/1Gi memory */
  readonly resources?: ResourceOptions;
}

const ENGINE_NAMES = Object.keys(ENGINES) as MongoEngine[];
const MONGO_DATABASE_PROPS: (keyof MongoDatabaseProps)[] = [
  'name',
  'engine',
  'image',
  'imagePullPolicy',
  'databaseName',
  'storage',
  'username',
  'existingSecret',
  'auth',
  'resources',
];

/**
 * A single-instance MongoDB (or FerretDB) as a StatefulSet with its headless
 * Service, a ClusterIP Service for clients, a PVC from volumeClaimTemplates and
 * a root-credentials Secret whose password deploy generates (never written to
 * dist/).
 */
export class MongoDatabase extends Construct implements IMongoConnection {
  readonly name: string;
  readonly engine: MongoEngine;
  readonly connectionConfig: MongoConnectionConfig;
  readonly statefulSet: ApiObject;
  /** ClusterIP Service that clients connect to (named like the database). */
  readonly service: ApiObject;
  /** Headless Service governing the StatefulSet (stable pod DNS names), `<name>-headless`. */
  readonly headlessService: ApiObject;
  /** The generated credentials Secret; undefined with `existingSecret` or without auth. */
  readonly secret?: ApiObject;

  constructor(scope: Construct, id: string, mongoProps: MongoDatabaseProps = {}) {
    super(scope, id);
    const problems = new Problems(this);
    const chart = BerthChart.of(this);
    const props = constructProps<MongoDatabaseProps>(problems, mongoProps, "{ databaseName: 'shop', storage: '5Gi' }", true);
    knownKeys(problems, undefined, props, MONGO_DATABASE_PROPS, 'MongoDatabase');
    // StatefulSet names are capped at 52 so the controller-revision-hash label fits.
    this.name = baseName(this, props.name, problems, 52);

    const engine = props.engine ?? 'mongodb';
    if (!problems.check('engine', engine, ENGINE_NAMES.includes(engine) ? undefined : `must be one of ${ENGINE_NAMES.join(', ')}`)) {
      this.engine = 'mongodb';
    } else {
      this.engine = engine;
    }
    const eng = ENGINES[this.engine];
    const image = props.image ?? eng.image;
    problems.checkText('image', image, rules.imageRef);
    const databaseName = props.databaseName ?? 'app';
    problems.checkText('databaseName', databaseName, (n) => rules.mongoDatabaseName(n) ?? (this.engine === 'ferretdb' ? ferretDatabaseName(n) : undefined));
    const storage = normalizeStorage(props.storage, problems);
    if (!storage.ephemeral) {
      problems.checkText('storage.size', storage.size, positiveBytes);
      if (storage.storageClassName !== undefined) problems.checkText('storage.storageClassName', storage.storageClassName, rules.dns1123Subdomain);
    } else if (typeof props.storage === 'object' && (props.storage.size !== undefined || props.storage.storageClassName !== undefined)) {
      problems.add(`storage = ${show(props.storage)}: ephemeral storage takes no size or storageClassName`);
    }

    const auth = booleanProp(problems, 'auth', props.auth) ?? true;
    if (!auth && props.existingSecret !== undefined) {
      problems.add('existingSecret: given, but auth is off; credentials would be unused');
    }
    if (props.username !== undefined && (!auth || props.existingSecret !== undefined)) {
      problems.add(
        `username = ${show(props.username)}: ${!auth ? 'auth is off, so there is no user' : 'the user name comes from existingSecret'}; remove username`,
      );
    }
    const username = props.username ?? 'root';
    problems.checkText('username', username, (u) => (/^[A-Za-z0-9._-]{1,64}$/.test(u) ? undefined : "must be 1-64 letters, digits, '.', '_' or '-'"));

    const labels = objectLabels(chart.appName, this.name, this.engine, 'database');
    const selector = selectorLabels(chart.appName, this.name);

    let secretKeys: SecretKeys | undefined;
    const existing = auth && props.existingSecret !== undefined ? existingSecretKeys(problems, 'existingSecret', props.existingSecret) : undefined;
    if (existing) {
      secretKeys = existing;
      chart.declareExternal('Secret', existing.name);
    } else if (auth && props.existingSecret === undefined) {
      secretKeys = { name: `${this.name}-credentials`, usernameKey: 'username', passwordKey: 'password' };
      // Only the user name is stored; deploy generates the password once (annotation) and keeps it across redeploys.
      this.secret = objects.secret(this, 'credentials', {
        metadata: { name: secretKeys.name, labels, annotations: { [GENERATE_KEYS_ANNOTATION]: secretKeys.passwordKey } },
        type: 'Opaque',
        data: { [secretKeys.usernameKey]: Buffer.from(username).toString('base64') },
      });
    }

    const ports = [{ name: 'mongodb', port: MONGO_PORT, targetPort: 'mongodb' }];
    // Clients get a ClusterIP Service: its DNS name resolves from the moment it exists. A headless
    // name has no record until the pod has an IP (after its volume is provisioned), and a client
    // that looks it up earlier gets NXDOMAIN, which cluster DNS caches for 30 s: that alone made
    // a first deploy wait out the cache (deploy times live in bench/results/deploy-*.md).
    this.service = objects.service(this, 'service', {
      metadata: { name: this.name, labels },
      spec: { type: 'ClusterIP', selector, ports },
    });
    this.headlessService = objects.service(this, 'headless', {
      metadata: { name: `${this.name}-headless`, labels },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector, ports },
    });

    const container: IContainer = {
      name: eng.containerName,
      image,
      imagePullPolicy: pullPolicy(props.imagePullPolicy, problems),
      ports: [{ name: 'mongodb', containerPort: MONGO_PORT }],
      volumeMounts: [{ name: 'data', mountPath: DATA_DIR }],
      resources: resources('resources', props.resources, eng, problems),
      securityContext: hardenedContainer(eng.uid),
      // TCP for liveness/startup: works for both engines and needs no credentials.
      startupProbe: { tcpSocket: { port: MONGO_PORT }, periodSeconds: 5, failureThreshold: 60 },
      livenessProbe: probe('liveness', { tcp: true, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 }, MONGO_PORT, problems),
      ...engineSpecific(this.engine, databaseName, secretKeys),
    };

    const annotations: Record<string, string> = {
      [ROLE_ANNOTATION]: 'mongo-database',
      [MONGO_ANNOTATION.service]: this.name,
      [MONGO_ANNOTATION.port]: String(MONGO_PORT),
      [MONGO_ANNOTATION.database]: databaseName,
      [MONGO_ANNOTATION.engine]: this.engine,
      [STORAGE_ANNOTATION]: storage.ephemeral ? 'ephemeral' : 'persistent',
      ...(secretKeys ? { [MONGO_ANNOTATION.secret]: secretKeys.name } : {}),
    };

    this.statefulSet = objects.statefulSet(this, 'statefulset', {
      metadata: { name: this.name, labels, annotations },
      spec: {
        serviceName: `${this.name}-headless`,
        // One instance: several would need a replica set, which this construct does not configure.
        replicas: 1,
        selector: { matchLabels: selector },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 30,
            securityContext: { fsGroup: eng.uid, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [container],
            ...(storage.ephemeral ? { volumes: [{ name: 'data', emptyDir: {} }] } : {}),
          },
        },
        ...(storage.ephemeral
          ? {}
          : {
              volumeClaimTemplates: [
                {
                  metadata: { name: 'data', labels },
                  spec: {
                    accessModes: ['ReadWriteOnce'],
                    ...(storage.storageClassName !== undefined ? { storageClassName: storage.storageClassName } : {}),
                    resources: { requests: { storage: storage.size } },
                  },
                },
              ],
            }),
      },
    });

    this.connectionConfig = {
      serviceHost: this.name,
      port: MONGO_PORT,
      databaseName,
      url: mongoUrl(this.name, MONGO_PORT, databaseName, secretKeys !== undefined),
      secret: secretKeys,
      engine: this.engine,
    };
  }
}

function normalizeStorage(s: unknown, problems: Problems): { size: string; storageClassName?: string; ephemeral: boolean } {
  if (typeof s === 'string') return { size: s, ephemeral: false };
  const o = objectProp<StorageOptions>(problems, 'storage', s, "a size such as '5Gi' or an object such as { size: '5Gi', storageClassName: 'fast' }");
  knownKeys(problems, 'storage', o, ['size', 'storageClassName', 'ephemeral'], 'storage');
  return { size: o.size ?? '1Gi', storageClassName: o.storageClassName, ephemeral: booleanProp(problems, 'storage.ephemeral', o.ephemeral) === true };
}

/** FerretDB is stricter than MongoDB (its documented differences): lowercase latin letters, digits and '_', not starting with a digit. */
function ferretDatabaseName(n: string): string | undefined {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(n) ? undefined : "must be lowercase letters, digits and '_', not starting with a digit, for engine ferretdb";
}

/** A PVC size: a byte quantity above zero (the API server refuses a zero storage request). */
function positiveBytes(v: string): string | undefined {
  return rules.byteQuantity(v) ?? (rules.quantityValue(v) > 0 ? undefined : 'must be more than zero');
}

/** Checks an ExistingSecret prop (a name or { name, usernameKey, passwordKey }); undefined when it is wrong. */
export function existingSecretKeys(problems: Problems, prop: string, value: unknown): SecretKeys | undefined {
  const ex =
    typeof value === 'string'
      ? { name: value }
      : objectProp<ExistingSecret>(problems, prop, value, "'my-secret' or { name: 'my-secret', passwordKey: 'pw' }", false);
  knownKeys(problems, prop, ex, ['name', 'usernameKey', 'passwordKey'], prop);
  const keys = { name: ex.name as string, usernameKey: ex.usernameKey ?? 'username', passwordKey: ex.passwordKey ?? 'password' };
  const ok = [
    problems.checkText(`${prop}.name`, keys.name, rules.dns1123Subdomain),
    problems.checkText(`${prop}.usernameKey`, keys.usernameKey, rules.dataKey),
    problems.checkText(`${prop}.passwordKey`, keys.passwordKey, rules.dataKey),
  ].every(Boolean);
  if (ok && keys.usernameKey === keys.passwordKey) {
    problems.add(`${prop}.passwordKey = ${show(keys.passwordKey)}: must differ from usernameKey (the password would be the user name)`);
    return undefined;
  }
  return ok ? keys : undefined;
}

function secretEnv(name: string, secret: SecretKeys, key: string): IEnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret.name, key } } };
}

function engineSpecific(engine: MongoEngine, databaseName: string, secret: SecretKeys | undefined): Partial<IContainer> {
  if (engine === 'mongodb') {
    return {
      env: [
        ...(secret
          ? [secretEnv('MONGO_INITDB_ROOT_USERNAME', secret, secret.usernameKey), secretEnv('MONGO_INITDB_ROOT_PASSWORD', secret, secret.passwordKey)]
          : []),
        { name: 'MONGO_INITDB_DATABASE', value: databaseName },
      ],
      // A ping needs no credentials; it proves mongod accepts commands, not just TCP.
      readinessProbe: {
        exec: { command: ['mongosh', '--quiet', '--norc', '--eval', "db.adminCommand('ping').ok"] },
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
    };
  }
  return {
    // FerretDB 1.x checks credentials only with its new auth; it creates the setup user on first start.
    args: [...FERRETDB_ARGS, ...(secret ? ['--test-enable-new-auth=true'] : [])],
    env: secret
      ? [
          secretEnv('FERRETDB_SETUP_USERNAME', secret, secret.usernameKey),
          secretEnv('FERRETDB_SETUP_PASSWORD', secret, secret.passwordKey),
          { name: 'FERRETDB_SETUP_DATABASE', value: 'admin' },
        ]
      : undefined,
    readinessProbe: { tcpSocket: { port: MONGO_PORT }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
  };
}
