/**
 * Minimal helpers for the cluster tests: talk to the API with
 * @kubernetes/client-node (not berth's deploy code), one namespace per test
 * file, and polling waits with deadlines that report what they last saw.
 */
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppsV1Api, CoreV1Api, KubeConfig, NetworkingV1Api, V1Pod } from '@kubernetes/client-node';

export const BUSYBOX = 'berth.local/busybox:1.35';
export const FERRETDB = 'berth.local/ferretdb:1.24.0';
export const INGRESS_PORT = Number(process.env.BERTH_INGRESS_PORT ?? 80);

export function kubeconfigPath(): string {
  const state = process.env.BERTH_STATE_DIR ?? '/var/lib/berth-local';
  return process.env.KUBECONFIG?.split(':')[0] || path.join(state, 'kubeconfig');
}

export interface Cluster {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  net: NetworkingV1Api;
}

export function connect(): Cluster {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return { kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), net: kc.makeApiClient(NetworkingV1Api) };
}

export function suffix(): string {
  return randomBytes(3).toString('hex');
}

export async function createNamespace(c: Cluster, prefix: string): Promise<string> {
  const name = `${prefix}-${suffix()}`;
  await c.core.createNamespace({ body: { metadata: { name, labels: { 'berth.dev/test': 'cluster' } } } });
  // The ServiceAccount controller must have made `default` before pods can be admitted.
  await waitFor(`ServiceAccount ${name}/default`, 30_000, async () => {
    try {
      await c.core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      return true;
    } catch {
      return false;
    }
  });
  return name;
}

export async function deleteNamespace(c: Cluster, name: string | undefined): Promise<void> {
  if (!name) return;
  try {
    await c.core.deleteNamespace({ name });
  } catch (e) {
    process.stderr.write(`cleanup: could not delete namespace ${name}: ${String(e)}\n`);
  }
}

/** Poll `check` every 500 ms until it returns a truthy value; fail with `what` and the last observation. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | false | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function podSummary(p: V1Pod): string {
  const cs = p.status?.containerStatuses?.[0];
  const waiting = cs?.state?.waiting ? ` ${cs.state.waiting.reason}: ${cs.state.waiting.message ?? ''}` : '';
  return `${p.metadata?.name} phase=${p.status?.phase}${waiting}`;
}

export async function waitPodReady(c: Cluster, namespace: string, name: string, timeoutMs = 120_000): Promise<V1Pod> {
  let seen = '';
  try {
    return await waitFor(`pod ${namespace}/${name} Ready`, timeoutMs, async () => {
      const p = await c.core.readNamespacedPod({ name, namespace });
      seen = podSummary(p);
      return p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ? p : false;
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}; pod: ${seen}`);
  }
}

/** Wait until a run-to-completion pod ends; return its phase and log. */
export async function waitPodDone(c: Cluster, namespace: string, name: string, timeoutMs = 120_000): Promise<{ phase: string; log: string }> {
  const phase = await waitFor(`pod ${namespace}/${name} to finish`, timeoutMs, async () => {
    const p = await c.core.readNamespacedPod({ name, namespace });
    const ph = p.status?.phase;
    return ph === 'Succeeded' || ph === 'Failed' ? ph : false;
  });
  const log = await c.core.readNamespacedPodLog({ name, namespace });
  return { phase, log: String(log) };
}

export interface BusyboxOptions {
  labels?: Record<string, string>;
  restartPolicy?: 'Never' | 'Always';
  /** Mount this PVC at /data. */
  claim?: string;
  /** Container port with a TCP readiness probe. */
  port?: number;
}

/** A busybox pod running `script` with sh (restartPolicy Never unless told). */
export function busyboxPod(name: string, script: string, o: BusyboxOptions = {}): V1Pod {
  return {
    metadata: { name, labels: o.labels ?? {} },
    spec: {
      restartPolicy: o.restartPolicy ?? 'Never',
      terminationGracePeriodSeconds: 1,
      volumes: o.claim ? [{ name: 'data', persistentVolumeClaim: { claimName: o.claim } }] : undefined,
      containers: [
        {
          name: 'main',
          image: BUSYBOX,
          imagePullPolicy: 'Never',
          command: ['/bin/busybox', 'sh', '-c', script],
          volumeMounts: o.claim ? [{ name: 'data', mountPath: '/data' }] : undefined,
          ports: o.port ? [{ containerPort: o.port }] : undefined,
          readinessProbe: o.port ? { tcpSocket: { port: o.port }, periodSeconds: 1 } : undefined,
        },
      ],
    },
  };
}
