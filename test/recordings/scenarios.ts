// Long on purpose: one small declarative scenario per recorded wait (image pull, crash, PVCs, ...).
/**
 * What record.ts deploys: one small app per scenario, in its own namespace,
 * plus what happens before the recorded wait (e.g. a previous revision) and
 * during it (e.g. a node starts to fit). Images are the local test cluster's
 * (berth.local/busybox, registry.k8s.io/pause); override with
 * BERTH_REC_BUSYBOX / BERTH_REC_PAUSE elsewhere.
 */
import { App } from 'cdk8s';
import { BerthChart, WebApp, WebAppProps } from '../../constructs';
import { APP_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../src/contract';
import type { Grace } from '../../src/deploy/wait';
import { parseManifest } from '../../src/dist';
import type { KubeClient } from '../../src/kube/client';
import { KObject, refOf } from '../../src/kube/types';
import { renderApp } from '../../src/synth';
import { idleWebProps } from '../idle-web';

export interface Env {
  client: KubeClient;
  ns: string;
  app: string;
  log: (msg: string) => void;
  /** Apply objects the way deploy does (returns the waited objects). */
  apply: (objects: KObject[]) => Promise<KObject[]>;
}

export interface Scenario {
  name: string;
  description: string;
  timeoutMs: number;
  grace?: Partial<Grace>;
  /** Not recorded: what is there before the wait (e.g. the previous revision). */
  before?: (env: Env) => Promise<void>;
  /** The app whose wait is recorded. */
  objects: (env: Env) => KObject[];
  /** Runs alongside the recorded wait (its promise is awaited before cleanup). */
  during?: (env: Env) => Promise<void>;
  cleanup?: (env: Env) => Promise<void>;
}

const BUSYBOX = process.env.BERTH_REC_BUSYBOX ?? 'berth.local/busybox:1.35';
const PAUSE = process.env.BERTH_REC_PAUSE ?? 'registry.k8s.io/pause:3.10';
const BAD_IMAGE = 'registry.invalid.example/berth/nope:1.0';
const NODE_LABEL = 'berth.dev/waiter-recording';
const IMMEDIATE_CLASS = 'berth-waiter-rec-immediate';
/** Binds claims at once, with a provisioner that does not exist: they stay Pending. */
const IMMEDIATE_STORAGE_CLASS: KObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: IMMEDIATE_CLASS },
  provisioner: 'berth.dev/nothing-provisions-this',
  volumeBindingMode: 'Immediate',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A WebApp rendered exactly as berth synth renders it. */
function webApp(app: string, props: WebAppProps): KObject[] {
  const [r] = renderApp(app, {
    build: (a: App) => {
      const chart = new BerthChart(a, app);
      new WebApp(chart, 'web', props);
      return chart;
    },
  });
  return parseManifest(r.yaml, `${app}.k8s.yaml`, app);
}

/** Hand-made objects with the labels berth stamps on every object. */
function labelled(app: string, objects: KObject[]): KObject[] {
  return objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, [APP_LABEL]: app, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } } }));
}

function pauseDeployment(name: string, extra: { nodeSelector?: Record<string, string>; claim?: string } = {}): KObject {
  const podLabels = { 'app.kubernetes.io/name': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: {
          terminationGracePeriodSeconds: 0,
          nodeSelector: extra.nodeSelector,
          containers: [
            {
              name: 'app',
              image: PAUSE,
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '50m', memory: '32Mi' } },
              volumeMounts: extra.claim ? [{ name: 'data', mountPath: '/data' }] : undefined,
            },
          ],
          volumes: extra.claim ? [{ name: 'data', persistentVolumeClaim: { claimName: extra.claim } }] : undefined,
        },
      },
    },
  };
}

function claim(name: string, storageClassName?: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } }, storageClassName },
  };
}

async function nodeNames(client: KubeClient, schedulable = false): Promise<string[]> {
  const fits = (n: KObject): boolean =>
    !n.spec?.unschedulable && !(n.spec?.taints ?? []).some((t: any) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  return (await client.list('v1', 'Node')).filter((n) => !schedulable || fits(n)).map((n) => n.metadata.name);
}

async function labelNode(client: KubeClient, node: string, value: string | null): Promise<void> {
  await client.request('PATCH', `/api/v1/nodes/${encodeURIComponent(node)}`, {
    body: { metadata: { labels: { [NODE_LABEL]: value } } },
    contentType: 'application/merge-patch+json',
  });
}

/** Poll (setup only, not part of the recording) until a pod of the app shows one of the waiting reasons. */
async function untilPodWaiting(env: Env, reasons: RegExp, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pods = await env.client.list('v1', 'Pod', { namespace: env.ns, labelSelector: `${APP_LABEL}=${env.app}` });
    if (pods.some((p) => (p.status?.containerStatuses ?? []).some((c: any) => reasons.test(c.state?.waiting?.reason ?? '')))) return;
    await sleep(500);
  }
  throw new Error(`no pod of ${env.app} reached ${reasons} within ${timeoutMs / 1000}s`);
}

const WIDGETS = { group: 'waiter.berth.dev', plural: 'widgets' };

const WIDGET_CRD: KObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${WIDGETS.plural}.${WIDGETS.group}` },
  spec: {
    group: WIDGETS.group,
    scope: 'Namespaced',
    names: { plural: WIDGETS.plural, singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

function widget(name: string, size: number): KObject {
  return { apiVersion: `${WIDGETS.group}/v1`, kind: 'Widget', metadata: { name }, spec: { size } };
}

/** Write a Widget's status the way its controller would (there is none: the recorder plays it). */
async function widgetStatus(env: Env, name: string, status: object): Promise<void> {
  await env.client.request('PATCH', `/apis/${WIDGETS.group}/v1/namespaces/${env.ns}/${WIDGETS.plural}/${name}/status`, {
    body: { status },
    contentType: 'application/merge-patch+json',
  });
}

const condition = (status: string, reason: string, message: string, observedGeneration: number) => ({
  type: 'Ready',
  status,
  reason,
  message,
  observedGeneration,
  lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
});

export const SCENARIOS: Scenario[] = [
  {
    name: 'image-pull-error',
    description: 'A WebApp whose image cannot be pulled (unknown registry host): deploy fails early, naming pod, image and the registry answer.',
    timeoutMs: 120_000,
    objects: (env) => webApp(env.app, { image: BAD_IMAGE, port: 8080, replicas: 1, readiness: false, liveness: false }),
  },
  {
    name: 'crash-after-ready',
    description:
      'A WebApp without a readiness probe whose process exits a second after it starts: the Deployment reports itself available before the crash, ' +
      'the settle gate holds it, and deploy fails with CrashLoopBackOff and the last log lines.',
    timeoutMs: 120_000,
    objects: (env) =>
      webApp(env.app, {
        image: BUSYBOX,
        port: 8080,
        replicas: 1,
        command: ['sh', '-c', 'echo up; sleep 1; echo late-marker: lost the config >&2; exit 4'],
        readiness: false,
        liveness: false,
      }),
  },
  {
    name: 'unschedulable-then-schedulable',
    description:
      'A Deployment whose pod first fits no node (nodeSelector on a label no node has); 4 s later a node gets the label, within the 10 s grace, ' +
      'so the pod is scheduled and deploy ends ready.',
    timeoutMs: 120_000,
    objects: (env) => labelled(env.app, [pauseDeployment(`${env.app}-web`, { nodeSelector: { [NODE_LABEL]: env.ns } })]),
    during: async (env) => {
      await sleep(4000);
      const [node] = await nodeNames(env.client, true);
      if (!node) throw new Error('no schedulable node to label');
      env.log(`labelling node ${node} ${NODE_LABEL}=${env.ns}`);
      await labelNode(env.client, node, env.ns);
    },
    cleanup: async (env) => {
      for (const node of await nodeNames(env.client)) await labelNode(env.client, node, null);
    },
  },
  {
    name: 'old-replicaset-pods',
    description:
      "A rollout from a broken revision (its pod in ImagePullBackOff) to a good one: the old ReplicaSet's pod keeps failing while the new one starts, " +
      'and deploy ignores it and ends ready.',
    timeoutMs: 120_000,
    before: async (env) => {
      await env.apply(webApp(env.app, { image: BAD_IMAGE, port: 8080, replicas: 1, readiness: false, liveness: false }));
      // The back-off, not the first ErrImagePull: deploy fails on it at once if it counted it as the new revision's.
      await untilPodWaiting(env, /ImagePullBackOff/);
    },
    objects: (env) => webApp(env.app, idleWebProps(BUSYBOX)),
  },
  {
    name: 'pvc-wait-for-first-consumer',
    description:
      'A claim on the default StorageClass, which binds on first consumer: the claim counts as ready while Pending, the pod that uses it binds it, deploy ends ready.',
    timeoutMs: 120_000,
    before: async (env) => {
      const classes = await env.client.list('storage.k8s.io/v1', 'StorageClass');
      const def = classes.find((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
      if ((def as any)?.volumeBindingMode !== 'WaitForFirstConsumer') {
        throw new Error(
          `this scenario needs a default StorageClass with volumeBindingMode WaitForFirstConsumer (default here: ${def?.metadata.name ?? 'none'})`,
        );
      }
    },
    objects: (env) => labelled(env.app, [claim('data'), pauseDeployment(`${env.app}-web`, { claim: 'data' })]),
  },
  {
    name: 'pvc-pending-immediate',
    description:
      "A claim on a StorageClass with immediate binding whose provisioner does not exist: it stays Pending, and after the 30 s volume grace deploy fails with the claim's phase and event.",
    timeoutMs: 120_000,
    before: async (env) => {
      await env.client.apply(IMMEDIATE_STORAGE_CLASS, 'berth-recorder');
    },
    objects: (env) => labelled(env.app, [claim('data', IMMEDIATE_CLASS), pauseDeployment(`${env.app}-web`, { claim: 'data' })]),
    cleanup: async (env) => {
      await env.client.delete(refOf(IMMEDIATE_STORAGE_CLASS));
    },
  },
  {
    name: 'timeout',
    description:
      "A WebApp whose TCP readiness probe never passes (nothing listens on its port): deploy times out after 20 s and lists what it waited for, with the pods' warnings.",
    timeoutMs: 20_000,
    objects: (env) =>
      // The default readiness probe: TCP on a port nothing listens on.
      webApp(env.app, idleWebProps(BUSYBOX, { readiness: undefined })),
  },
  {
    name: 'custom-resource-ready',
    description:
      'A custom resource (CRD Widget, no built-in rule) updated to generation 2 while its status still describes generation 1: ' +
      'the generic rule waits for the controller (played by the recorder) to observe it, then for its Ready condition to turn True.',
    timeoutMs: 60_000,
    before: async (env) => {
      await env.client.apply(WIDGET_CRD, 'berth-recorder');
      const crd = refOf(WIDGET_CRD);
      for (let i = 0; ; i++) {
        const live = await env.client.get(crd);
        if ((live?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True')) break;
        if (i > 100) throw new Error('CRD not Established');
        await sleep(200);
      }
      env.client.resetDiscovery();
      await env.apply(labelled(env.app, [widget(`${env.app}-w`, 1)]));
      await widgetStatus(env, `${env.app}-w`, { observedGeneration: 1, conditions: [condition('True', 'Provisioned', 'size 1 is up', 1)] });
    },
    objects: (env) => labelled(env.app, [widget(`${env.app}-w`, 2)]),
    during: async (env) => {
      await sleep(1500);
      await widgetStatus(env, `${env.app}-w`, { observedGeneration: 2, conditions: [condition('False', 'Resizing', 'resizing from 1 to 2', 2)] });
      await sleep(2000);
      await widgetStatus(env, `${env.app}-w`, { observedGeneration: 2, conditions: [condition('True', 'Provisioned', 'size 2 is up', 2)] });
    },
    cleanup: async (env) => {
      await env.client.delete(refOf(WIDGET_CRD));
    },
  },
];
