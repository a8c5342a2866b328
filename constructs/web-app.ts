// Longer than most modules on purpose: WebApp is one construct whose props interact (Service type and
// node port, Ingress, probes, database wiring, spread); its validation sits beside the objects it shapes.
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ApiObject, Chart } from 'cdk8s';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import * as objects from './objects';
import { GENERATE_KEYS_ANNOTATION, ROLE_ANNOTATION, WEB_ANNOTATION } from '../src/contract';
import { BerthChart } from './chart';
import { redactText } from './credentials';
import { IMongoConnection } from './connection';
import { objectLabels, selectorLabels } from './labels';
import { baseName } from './names';
import { hardenedContainer, probe, probeOption, ProbeOptions, PullPolicy, pullPolicy, resources, ResourceOptions } from './pod';
import { Problems, show } from './problems';
import * as rules from './rules';
import { constructProps, isRecord, knownKeys, stringList } from './shapes';
import { checkArgs, DatabaseEnvNames, SecretEnvSource, webEnv } from './web-env';

export { DatabaseEnvNames, GeneratedSecret, SecretEnvSource, SecretKeyRef } from './web-env';

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

export interface WebAppProps {
  /** Container image with a pinned tag, e.g. 'mongo-express:1.0.2'. */
  readonly image: string;
  /** Port the container listens on. */
  readonly port: number;
  /** Object name. @default `<app>-<construct id>` */
  readonly name?: string;
  /** @default 2 (on different nodes when there are several, with a PodDisruptionBudget) */
  readonly replicas?: number;
  /**
   * Plain environment variables, written to dist/ as they are. Values may use
   * `$(NAME)` to insert a variable defined before them (secretEnv, database).
   * Names that look like credentials (`DB_PASSWORD`, `API_TOKEN`, `JWT_SECRET`)
   * and URLs with a password are refused: use `secretEnv`.
   */
  readonly env?: Record<string, string>;
  /**
   * Configuration written to the app's ConfigMap and loaded as env vars
   * (envFrom). Not for secrets (same refusals as `env`); `$(NAME)` is not expanded here.
   */
  readonly config?: Record<string, string>;
  /**
   * Env vars whose values come from Secrets, so they never reach dist/:
   * `{ SESSION_SECRET: { generate: true } }` (deploy creates a random value once and
   * keeps it) or `{ STRIPE_KEY: { secretName: 'stripe', key: 'api-key' } }` (an
   * existing Secret, declared external).
   */
  readonly secretEnv?: Record<string, SecretEnvSource>;
  /**
   * Names in `env` or `config` that look like credentials but hold none
   * (e.g. 'TOKEN_AUDIENCE_HINT'): they are then allowed as plain values.
   */
  readonly allowPlainEnv?: string[];
  /** @default 'ClusterIP' (internal) */
  readonly serviceType?: ServiceType;
  /** Port of the Service. @default the container port */
  readonly servicePort?: number;
  /** Fixed node port (NodePort/LoadBalancer only). @default assigned by the cluster */
  readonly nodePort?: number;
  /** Expose the Service through an Ingress. */
  readonly ingress?: IngressOptions;
  /** @default `{ tcp: true }`; `false` for none */
  readonly readiness?: ProbeOptions | false;
  /** @default `{ tcp: true }`; `false` for none */
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

const WEB_APP_PROPS: (keyof WebAppProps)[] = [
  'image',
  'port',
  'name',
  'replicas',
  'env',
  'config',
  'secretEnv',
  'allowPlainEnv',
  'serviceType',
  'servicePort',
  'nodePort',
  'ingress',
  'readiness',
  'liveness',
  'resources',
  'imagePullPolicy',
  'command',
  'args',
  'runAsUser',
  'drainSeconds',
  'database',
  'databaseEnv',
];
const INGRESS_PROPS: (keyof IngressOptions)[] = ['host', 'path', 'tlsSecretName', 'className'];

/**
 * A stateless web app: Deployment + Service + ConfigMap (+ Ingress, + PodDisruptionBudget
 * when replicas ≥ 2, + a Secret when secretEnv asks for generated values), optionally wired to a MongoDB.
 */
export class WebApp extends Construct {
  readonly name: string;
  readonly deployment: ApiObject;
  readonly service: ApiObject;
  readonly configMap: ApiObject;
  readonly ingress?: ApiObject;
  readonly podDisruptionBudget?: ApiObject;
  /** The Secret holding the values deploy generates for secretEnv `{ generate: true }`, `<name>-secrets`. */
  readonly secret?: ApiObject;

  constructor(scope: Construct, id: string, webAppProps: WebAppProps) {
    super(scope, id);
    const problems = new Problems(this);
    const chart = BerthChart.of(this);
    const props = constructProps<WebAppProps>(problems, webAppProps, "{ image: 'web:1.0.0', port: 8080 }");
    knownKeys(problems, undefined, props, WEB_APP_PROPS, 'WebApp');
    this.name = baseName(this, props.name, problems);

    problems.checkText('image', props.image, rules.imageRef);
    problems.check('port', props.port, rules.port(props.port));
    const port = props.port as number;
    const replicas = props.replicas ?? 2;
    problems.check('replicas', replicas, rules.intRange(replicas, 0, 100));
    const serviceType = props.serviceType ?? 'ClusterIP';
    problems.check('serviceType', serviceType, SERVICE_TYPES.includes(serviceType) ? undefined : `must be one of ${SERVICE_TYPES.join(', ')}`);
    const servicePort = props.servicePort ?? port;
    if (props.servicePort !== undefined) problems.check('servicePort', props.servicePort, rules.port(props.servicePort));
    if (props.nodePort !== undefined) {
      problems.check('nodePort', props.nodePort, serviceType === 'ClusterIP' ? 'needs serviceType NodePort or LoadBalancer' : rules.nodePort(props.nodePort));
    }
    if (props.runAsUser !== undefined) problems.check('runAsUser', props.runAsUser, rules.intRange(props.runAsUser, 0, 2147483647));
    const command = stringList(problems, 'command', props.command);
    const args = stringList(problems, 'args', props.args);
    if (command?.length === 0) problems.add("command = []: an empty list is the same as none; omit it to use the image's entrypoint");

    const labels = objectLabels(chart.appName, this.name, 'web-app', 'web');
    const selector = selectorLabels(chart.appName, this.name);

    const database = props.database;
    if (database !== undefined && !isRecord((database as Partial<IMongoConnection>)?.connectionConfig)) {
      problems.add(
        `database = ${typeof database === 'string' ? show(redactText(database)) : isRecord(database) ? 'an object without connectionConfig' : show(database)}: must be a MongoDatabase or ExternalMongoDatabase (for a URL use new ExternalMongoDatabase(scope, id, { url }))`,
      );
    }
    const db = isRecord((database as Partial<IMongoConnection>)?.connectionConfig) ? database!.connectionConfig : undefined;
    if (db && database instanceof Construct && Chart.of(database) !== chart) {
      problems.add(
        `database = ${database.node.path}: belongs to another app (${Chart.of(database).node.id}); use a database of this app, or an ExternalMongoDatabase naming the other app's Service`,
      );
    }
    const secretName = `${this.name}-secrets`;
    const { configData, env, generatedKeys, externalSecrets } = webEnv(props, db, secretName, problems);
    for (const s of externalSecrets) chart.declareExternal('Secret', s);

    const configMapName = `${this.name}-config`;
    this.configMap = objects.configMap(this, 'config', {
      metadata: { name: configMapName, labels },
      ...(Object.keys(configData).length > 0 ? { data: configData } : {}),
    });
    if (generatedKeys.length > 0) {
      // No values: deploy generates each key once and keeps it across redeploys.
      this.secret = objects.secret(this, 'secrets', {
        metadata: { name: secretName, labels, annotations: { [GENERATE_KEYS_ANNOTATION]: generatedKeys.join(',') } },
        type: 'Opaque',
      });
    }

    const drainSeconds = props.drainSeconds ?? 5;
    problems.check('drainSeconds', drainSeconds, rules.intRange(drainSeconds, 0, 300));
    const readiness = probeOption(problems, 'readiness', props.readiness);
    const liveness = probeOption(problems, 'liveness', props.liveness);
    const container: IContainer = {
      name: 'web',
      image: props.image as string,
      imagePullPolicy: pullPolicy(props.imagePullPolicy, problems),
      ...(command && command.length > 0 ? { command } : {}),
      ...(args ? { args } : {}),
      ports: [{ name: 'http', containerPort: port }],
      envFrom: [{ configMapRef: { name: configMapName } }],
      ...(env.length > 0 ? { env } : {}),
      ...(readiness ? { readinessProbe: probe('readiness', readiness, port, problems) } : {}),
      ...(liveness ? { livenessProbe: probe('liveness', liveness, port, problems) } : {}),
      resources: resources('resources', props.resources, WEB_DEFAULT_RESOURCES, problems),
      securityContext: hardenedContainer(props.runAsUser),
      ...(drainSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: drainSeconds } } } } : {}),
    };
    checkArgs(problems, { command, args });

    const ing = isRecord(props.ingress) ? (props.ingress as IngressOptions) : undefined;
    if (props.ingress !== undefined && !ing) problems.add(`ingress = ${show(props.ingress)}: must be an object such as { host: 'my-app.com' }`);
    const annotations: Record<string, string> = {
      [ROLE_ANNOTATION]: 'web-app',
      [WEB_ANNOTATION.service]: this.name,
      [WEB_ANNOTATION.port]: String(servicePort),
      ...(readiness && readiness.http !== undefined ? { [WEB_ANNOTATION.healthPath]: readiness.http } : {}),
      ...(ing ? { [WEB_ANNOTATION.host]: String(ing.host) } : {}),
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
            tolerations: NODE_FAILURE_TOLERATIONS,
            ...(replicas >= 2 ? { topologySpreadConstraints: [spreadOverNodes(selector)] } : {}),
          },
        },
      },
    });

    this.service = objects.service(this, 'service', {
      metadata: { name: this.name, labels },
      spec: {
        type: serviceType,
        selector,
        ports: [
          {
            name: 'http',
            port: servicePort,
            targetPort: port,
            ...(props.nodePort !== undefined && serviceType !== 'ClusterIP' ? { nodePort: props.nodePort } : {}),
          },
        ],
      },
    });

    if (replicas >= 2) {
      this.podDisruptionBudget = objects.podDisruptionBudget(this, 'pdb', {
        metadata: { name: this.name, labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      });
    }

    if (ing) {
      knownKeys(problems, 'ingress', ing, INGRESS_PROPS, 'ingress');
      const host = ing.host as string;
      problems.checkText('ingress.host', ing.host, rules.ingressHost);
      const path = ing.path ?? '/';
      problems.checkText('ingress.path', path, rules.ingressPath);
      if (ing.className !== undefined) problems.checkText('ingress.className', ing.className, rules.dns1123Subdomain);
      if (ing.tlsSecretName !== undefined) {
        problems.checkText('ingress.tlsSecretName', ing.tlsSecretName, rules.dns1123Subdomain);
        chart.declareExternal('Secret', ing.tlsSecretName);
      }
      this.ingress = objects.ingress(this, 'ingress', {
        metadata: { name: this.name, labels },
        spec: {
          ...(ing.className !== undefined ? { ingressClassName: ing.className } : {}),
          rules: [
            {
              host,
              http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: this.name, port: { number: servicePort } } } }] },
            },
          ],
          ...(ing.tlsSecretName !== undefined ? { tls: [{ hosts: [host], secretName: ing.tlsSecretName }] } : {}),
        },
      });
    }
  }
}

/**
 * Replicas on different nodes, or not scheduled: DoNotSchedule, because two replicas on one node
 * do not survive that node failing, and with ScheduleAnyway that happens silently (the spread is
 * only a score next to image locality and resource balance). A replica that cannot be placed stays
 * Pending, which deploy reports. One node is one topology domain, so a one-node cluster still runs
 * every replica. nodeTaintsPolicy Honor leaves cordoned, failed and tainted nodes (kubeadm's control
 * plane) out of the skew; counting them as empty domains would keep a drained or crashed node's
 * replacement Pending on a two-node cluster. Needs Kubernetes >= 1.26 (the field is ignored before).
 */
function spreadOverNodes(selector: Record<string, string>): ITopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'DoNotSchedule',
    nodeTaintsPolicy: 'Honor',
    labelSelector: { matchLabels: selector },
  };
}

/**
 * Move off a failed node after 20 s instead of Kubernetes' 300 s (after the node is marked
 * NotReady/unreachable, which takes the control plane's node-monitor grace period, 40-50 s):
 * web pods are stateless, so a replacement elsewhere costs little, and a node that is back within
 * 20 s keeps its pods. Requests stop going to the failed node's pods when it is marked, not later.
 */
const NODE_FAILURE_TOLERATIONS: IToleration[] = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
  key,
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 20,
}));

/** Short content hash of the config, stable across runs (keys sorted). */
function hashOf(data: Record<string, string>): string {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
