import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import * as objects from './objects';
import {
  ROLE_ANNOTATION, WEB_HEALTH_PATH_ANNOTATION, WEB_HOST_ANNOTATION, WEB_PORT_ANNOTATION, WEB_SERVICE_ANNOTATION,
} from '../src/contract';
import { BerthChart } from './chart';
import { IMongoConnection } from './connection';
import { objectLabels, selectorLabels } from './labels';
import { baseName } from './names';
import { hardenedContainer, plainEnv, probe, ProbeOptions, PullPolicy, pullPolicy, resources, ResourceOptions } from './pod';
import { Problems } from './problems';
import * as rules from './rules';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';
const SERVICE_TYPES: ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer'];

/** Pod annotation holding a hash of the ConfigMap data, so a config change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'berth.dev/config-hash';

export interface IngressOptions {
  /** Host name the app is reached at, e.g. 'my-app.com'. */
  readonly host: string;
  /** @default '/' (prefix match) */
  readonly path?: string;
  /** An existing TLS Secret for the host (e.g. from cert-manager); it is declared external. @default no TLS */
  readonly tlsSecretName?: string;
  /** IngressClass. @default the cluster's default class */
  readonly className?: string;
}

/** Names of the env vars the `database` wiring sets. */
export interface DatabaseEnvNames {
  /** @default 'MONGO_URL' */
  readonly url?: string;
  /** @default 'MONGO_USERNAME' */
  readonly username?: string;
  /** @default 'MONGO_PASSWORD' */
  readonly password?: string;
}

export interface WebAppProps {
  /** Container image with a pinned tag, e.g. 'mongo-express:1.0.2'. */
  readonly image: string;
  /** Port the container listens on. */
  readonly port: number;
  /** Object name. @default `<app>-<construct id>` */
  readonly name?: string;
  /** @default 2 (spread across nodes, with a PodDisruptionBudget) */
  readonly replicas?: number;
  /** Plain environment variables (not secrets). */
  readonly env?: Record<string, string>;
  /** Configuration written to the app's ConfigMap and loaded as env vars (envFrom). */
  readonly config?: Record<string, string>;
  /** @default 'ClusterIP' (internal) */
  readonly serviceType?: ServiceType;
  /** Port of the Service. @default the container port */
  readonly servicePort?: number;
  /** Fixed node port (NodePort/LoadBalancer only). @default assigned by the cluster */
  readonly nodePort?: number;
  /** Expose the Service through an Ingress. */
  readonly ingress?: IngressOptions;
  /** @default { tcp: true }; `false` for none */
  readonly readiness?: ProbeOptions | false;
  /** @default { tcp: true }; `false` for none */
  readonly liveness?: ProbeOptions | false;
  /** @default 100m/500m CPU, 128Mi/256Mi memory (request/limit) */
  readonly resources?: ResourceOptions;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: PullPolicy;
  /** Override the image's entrypoint / arguments. */
  readonly command?: string[];
  readonly args?: string[];
  /** Run as this user id (and as non-root when not 0). @default the image's user */
  readonly runAsUser?: number;
  /**
   * Seconds a deleted pod keeps serving before it is sent SIGTERM (a preStop
   * sleep), so kube-proxy and the ingress controller stop routing to it first.
   * Without it, requests in that window get "connection refused" or 502.
   * @default 5
   */
  readonly drainSeconds?: number;
  /**
   * A MongoDatabase or ExternalMongoDatabase: its URL goes into the ConfigMap
   * (MONGO_URL) and its credentials into env from the Secret (MONGO_USERNAME/MONGO_PASSWORD).
   */
  readonly database?: IMongoConnection;
  /** Rename the env vars set by `database`. */
  readonly databaseEnv?: DatabaseEnvNames;
}

const WEB_DEFAULT_RESOURCES = { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '256Mi' };

/**
 * A stateless web app: Deployment + Service + ConfigMap (+ Ingress, + PodDisruptionBudget
 * when replicas ≥ 2), optionally wired to a MongoDB.
 */
export class WebApp extends Construct {
  readonly name: string;
  readonly deployment: ApiObject;
  readonly service: ApiObject;
  readonly configMap: ApiObject;
  readonly ingress?: ApiObject;
  readonly podDisruptionBudget?: ApiObject;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const problems = new Problems(this);
    const chart = BerthChart.of(this);
    this.name = baseName(this, props.name, problems);

    problems.check('image', props.image, typeof props.image === 'string' ? rules.imageRef(props.image) : 'must be a string');
    problems.check('port', props.port, rules.port(props.port));
    const replicas = props.replicas ?? 2;
    problems.check('replicas', replicas, rules.intRange(replicas, 0, 100));
    const serviceType = props.serviceType ?? 'ClusterIP';
    problems.check('serviceType', serviceType, SERVICE_TYPES.includes(serviceType) ? undefined : `must be one of ${SERVICE_TYPES.join(', ')}`);
    const servicePort = props.servicePort ?? props.port;
    if (props.servicePort !== undefined) problems.check('servicePort', props.servicePort, rules.port(props.servicePort));
    if (props.nodePort !== undefined) {
      problems.check('nodePort', props.nodePort, serviceType === 'ClusterIP' ? 'needs serviceType NodePort or LoadBalancer' : rules.nodePort(props.nodePort));
    }
    if (props.runAsUser !== undefined) problems.check('runAsUser', props.runAsUser, rules.intRange(props.runAsUser, 0, 2147483647));

    const labels = objectLabels(chart.appName, this.name, 'web-app', 'web');
    const selector = selectorLabels(chart.appName, this.name);

    // ConfigMap: user config plus the database URL.
    const envNames = {
      url: props.databaseEnv?.url ?? 'MONGO_URL',
      username: props.databaseEnv?.username ?? 'MONGO_USERNAME',
      password: props.databaseEnv?.password ?? 'MONGO_PASSWORD',
    };
    for (const [k, v] of Object.entries(envNames)) problems.check(`databaseEnv.${k}`, v, rules.envName(v));
    const configData: Record<string, string> = {};
    for (const [k, v] of Object.entries(props.config ?? {})) {
      problems.check('config key', k, rules.dataKey(k) ?? rules.envName(k));
      if (typeof v !== 'string') problems.add(`config.${k} = ${JSON.stringify(v)}: must be a string (quote numbers and booleans)`);
      configData[k] = String(v);
    }
    const db = props.database?.connectionConfig;
    if (db) {
      if (envNames.url in configData) problems.add(`config.${envNames.url}: set by \`database\`; remove it from config or rename it with databaseEnv.url`);
      configData[envNames.url] = db.url;
    }
    const configMapName = `${this.name}-config`;
    this.configMap = objects.configMap(this, 'config', {
      metadata: { name: configMapName, labels },
      ...(Object.keys(configData).length > 0 ? { data: configData } : {}),
    });

    // Env: database credentials from the Secret first, so plain vars can use them as $(MONGO_USERNAME).
    const env: IEnvVar[] = [];
    if (db?.secret) {
      env.push(
        { name: envNames.username, valueFrom: { secretKeyRef: { name: db.secret.name, key: db.secret.usernameKey } } },
        { name: envNames.password, valueFrom: { secretKeyRef: { name: db.secret.name, key: db.secret.passwordKey } } },
      );
    }
    env.push(...plainEnv(props.env, problems));
    const seen = new Set<string>();
    for (const e of env) {
      if (seen.has(e.name)) problems.add(`env.${e.name}: defined twice (env and database wiring); rename one with databaseEnv`);
      seen.add(e.name);
      if (e.name in configData) problems.add(`env.${e.name}: also a config key; env would silently win over the ConfigMap`);
    }

    const drainSeconds = props.drainSeconds ?? 5;
    problems.check('drainSeconds', drainSeconds, rules.intRange(drainSeconds, 0, 300));
    const readiness = props.readiness ?? { tcp: true };
    const liveness = props.liveness ?? { tcp: true };
    const container: IContainer = {
      name: 'web',
      image: props.image,
      imagePullPolicy: pullPolicy(props.imagePullPolicy, problems),
      ...(props.command ? { command: props.command } : {}),
      ...(props.args ? { args: props.args } : {}),
      ports: [{ name: 'http', containerPort: props.port }],
      envFrom: [{ configMapRef: { name: configMapName } }],
      ...(env.length > 0 ? { env } : {}),
      ...(readiness ? { readinessProbe: probe('readiness', readiness, props.port, problems) } : {}),
      ...(liveness ? { livenessProbe: probe('liveness', liveness, props.port, problems) } : {}),
      resources: resources('resources', props.resources, WEB_DEFAULT_RESOURCES, problems),
      securityContext: hardenedContainer(props.runAsUser),
      ...(drainSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: drainSeconds } } } } : {}),
    };

    const annotations: Record<string, string> = {
      [ROLE_ANNOTATION]: 'web-app',
      [WEB_SERVICE_ANNOTATION]: this.name,
      [WEB_PORT_ANNOTATION]: String(servicePort),
      ...(readiness && readiness.http !== undefined ? { [WEB_HEALTH_PATH_ANNOTATION]: readiness.http } : {}),
      ...(props.ingress ? { [WEB_HOST_ANNOTATION]: props.ingress.host } : {}),
    };

    this.deployment = objects.deployment(this, 'deployment', {
      metadata: { name: this.name, labels, annotations },
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        // Never go below the desired count during a rollout.
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels, annotations: { [CONFIG_HASH_ANNOTATION]: hashOf(configData) } },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // The drain delay counts against the grace period; keep the usual 30 s for shutdown after it.
            terminationGracePeriodSeconds: drainSeconds + 30,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [container],
            ...(replicas >= 2
              ? {
                  // ScheduleAnyway: spread when there are several nodes, still run on a one-node cluster.
                  topologySpreadConstraints: [{
                    maxSkew: 1,
                    topologyKey: 'kubernetes.io/hostname',
                    whenUnsatisfiable: 'ScheduleAnyway',
                    labelSelector: { matchLabels: selector },
                  }],
                }
              : {}),
          },
        },
      },
    });

    this.service = objects.service(this, 'service', {
      metadata: { name: this.name, labels },
      spec: {
        type: serviceType,
        selector,
        ports: [{
          name: 'http',
          port: servicePort,
          targetPort: props.port,
          ...(props.nodePort !== undefined && serviceType !== 'ClusterIP' ? { nodePort: props.nodePort } : {}),
        }],
      },
    });

    if (replicas >= 2) {
      this.podDisruptionBudget = objects.podDisruptionBudget(this, 'pdb', {
        metadata: { name: this.name, labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      });
    }

    if (props.ingress) {
      const ing = props.ingress;
      problems.check('ingress.host', ing.host, rules.ingressHost(ing.host));
      const path = ing.path ?? '/';
      problems.check('ingress.path', path, rules.httpPath(path));
      if (ing.className !== undefined) problems.check('ingress.className', ing.className, rules.dns1123Subdomain(ing.className));
      if (ing.tlsSecretName !== undefined) {
        problems.check('ingress.tlsSecretName', ing.tlsSecretName, rules.dns1123Subdomain(ing.tlsSecretName));
        chart.declareExternal('Secret', ing.tlsSecretName);
      }
      this.ingress = objects.ingress(this, 'ingress', {
        metadata: { name: this.name, labels },
        spec: {
          ...(ing.className !== undefined ? { ingressClassName: ing.className } : {}),
          rules: [{
            host: ing.host,
            http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: this.name, port: { number: servicePort } } } }] },
          }],
          ...(ing.tlsSecretName !== undefined ? { tls: [{ hosts: [ing.host], secretName: ing.tlsSecretName }] } : {}),
        },
      });
    }
  }
}

/** Short content hash of the config, stable across runs (keys sorted). */
function hashOf(data: Record<string, string>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
