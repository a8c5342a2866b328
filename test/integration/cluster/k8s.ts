/**
 * Minimal helpers for the cluster tests: drive the API with the kubectl we
 * build (not berth's deploy code; @kubernetes/client-node is ESM-only and
 * jest runs these files as CommonJS), one namespace per test file, and
 * polling waits with deadlines that report what they last saw.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';

export const BUSYBOX = 'berth.local/busybox:1.35';
export const FERRETDB = 'berth.local/ferretdb:1.24.0';
export const INGRESS_PORT = Number(process.env.BERTH_INGRESS_PORT ?? 80);

export function kubeconfigPath(): string {
  const state = process.env.BERTH_STATE_DIR ?? '/var/lib/berth-local';
  return process.env.KUBECONFIG?.split(':')[0] || path.join(state, 'kubeconfig');
}

function kubectlPath(): string {
  const cache = process.env.BERTH_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'berth');
  const built = path.join(cache, 'bin', 'kubectl');
  return fs.existsSync(built) ? built : 'kubectl';
}

/** Run kubectl against the test cluster; rejects with its stderr on a non-zero exit. */
export function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      kubectlPath(),
      ['--kubeconfig', kubeconfigPath(), ...args],
      { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout)),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Create (or update) objects from plain JSON; returns what the server stored. */
export async function apply<T = any>(namespace: string, obj: object): Promise<T> {
  return JSON.parse(await kubectl(['-n', namespace, 'apply', '-o', 'json', '-f', '-'], JSON.stringify(obj))) as T;
}

export async function get<T = any>(namespace: string, kindName: string): Promise<T> {
  return JSON.parse(await kubectl(['-n', namespace, 'get', kindName, '-o', 'json'])) as T;
}

export function suffix(): string {
  return randomBytes(3).toString('hex');
}

export async function createNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${suffix()}`;
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'berth.dev/test': 'cluster' } } }));
  // The ServiceAccount controller must have made `default` before pods can be admitted.
  await waitFor(`ServiceAccount ${name}/default`, 30_000, async () => (await get(name, 'serviceaccount/default')) !== undefined);
  return name;
}

export async function deleteNamespace(name: string | undefined): Promise<void> {
  if (!name) return;
  try {
    await kubectl(['delete', 'namespace', name, '--wait=false']);
  } catch (e) {
    process.stderr.write(`cleanup: could not delete namespace ${name}: ${String(e)}\n`);
  }
}

/**
 * A fresh namespace `<prefix>-<random>` for one test file: created before its tests, deleted after them.
 * Call at the top of the file; the returned function gives the name inside a test.
 */
export function namespaceForFile(prefix: string): () => string {
  let ns: string | undefined;
  beforeAll(async () => {
    ns = await createNamespace(prefix);
  });
  afterAll(() => deleteNamespace(ns));
  return () => ns!;
}

export async function exists(namespace: string, kindName: string): Promise<boolean> {
  const out = await kubectl(['-n', namespace, 'get', kindName, '--ignore-not-found', '-o', 'name']);
  return out.trim() !== '';
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

export async function waitPodReady(namespace: string, name: string, timeoutMs = 120_000): Promise<V1Pod> {
  let seen = '';
  try {
    return await waitFor(`pod ${namespace}/${name} Ready`, timeoutMs, async () => {
      const p = await get<V1Pod>(namespace, `pod/${name}`);
      seen = podSummary(p);
      return p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ? p : false;
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}; pod: ${seen}`, { cause: e });
  }
}

/** Wait until a run-to-completion pod ends; return its phase and log. */
export async function waitPodDone(namespace: string, name: string, timeoutMs = 120_000): Promise<{ phase: string; log: string }> {
  const phase = await waitFor(`pod ${namespace}/${name} to finish`, timeoutMs, async () => {
    const ph = (await get<V1Pod>(namespace, `pod/${name}`)).status?.phase;
    return ph === 'Succeeded' || ph === 'Failed' ? ph : false;
  });
  return { phase, log: await kubectl(['-n', namespace, 'logs', name]) };
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
/** A pod `web` (label app=web) serving `token` as its index page over HTTP on 8080. */
/** `node`: pin it (the cluster may have extra nodes, BERTH_NODES). */
export function tokenWebPod(token: string, node?: string): V1Pod {
  const pod = busyboxPod('web', `mkdir -p /www && echo ${token} > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www`, {
    labels: { app: 'web' },
    restartPolicy: 'Always',
    port: 8080,
  });
  if (node) pod.spec!.nodeSelector = { 'kubernetes.io/hostname': node };
  return pod;
}

export function busyboxPod(name: string, script: string, o: BusyboxOptions = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
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
