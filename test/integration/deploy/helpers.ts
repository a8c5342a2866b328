/**
 * Shared setup for the deploy integration tests: the real local cluster
 * (npm run cluster:up) or any context given by BERTH_TEST_KUBECONFIG /
 * BERTH_TEST_CONTEXT; small apps written with the constructs into temp dist
 * dirs; a namespace per test file so tests never touch each other's objects.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { BerthChart } from '../../../constructs';
import { renderApp } from '../../../src/synth';
import { connect, KubeClient, waitGone } from '../../../src/deploy';
import type { KObject } from '../../../src/kube/types';
import { waitForDefaultServiceAccount } from '../../../src/kube/service-account';

export const KUBECONFIG = process.env.BERTH_TEST_KUBECONFIG ?? process.env.KUBECONFIG ?? `${process.env.BERTH_STATE_DIR ?? '/var/lib/berth-local'}/kubeconfig`;
export const CONTEXT = process.env.BERTH_TEST_CONTEXT ?? (process.env.BERTH_TEST_KUBECONFIG || process.env.KUBECONFIG ? undefined : 'berth-local');
export const target = { kubeconfig: KUBECONFIG, context: CONTEXT };
export const ROOT = path.resolve(__dirname, '../../..');
/** The CLI as a user runs it (`npx berth`): bin/berth.js, straight from the TypeScript sources. */
export const CLI = path.join(ROOT, 'bin/berth.js');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `berth-${prefix}-`));
}

/** Write dist/<name>.k8s.yaml for an app built with the constructs (same renderer as berth synth). */
export function synthApp(dir: string, name: string, build: (chart: BerthChart) => void): string {
  const [r] = renderApp(name, {
    build: (app: App) => {
      const chart = new BerthChart(app, name);
      build(chart);
      return chart;
    },
  });
  const file = path.join(dir, r.fileName);
  fs.writeFileSync(file, r.yaml);
  return file;
}

/** A connected client; fails the suite with a clear message when the cluster is not up. */
export async function client(): Promise<KubeClient> {
  try {
    return await connect(target);
  } catch (e) {
    throw new Error(`deploy integration tests need a cluster (npm run cluster:up, or BERTH_TEST_KUBECONFIG): ${(e as Error).message}`, { cause: e });
  }
}

/**
 * One test file's connection and namespace `ns`: before its tests, connect and run `setup`; after them run
 * `teardown`, delete `ns` (errors ignored) and close the connection. The returned function gives the client.
 */
export function clusterForFile(
  ns: string,
  hooks: { setup?: (c: KubeClient) => Promise<void>; teardown?: (c: KubeClient) => Promise<void> } = {},
): () => KubeClient {
  let c: KubeClient | undefined;
  beforeAll(async () => {
    c = await client();
    await hooks.setup?.(c);
  });
  afterAll(async () => {
    if (c) await hooks.teardown?.(c);
    if (c) await deleteNamespace(c, ns).catch(() => undefined);
    c?.close();
  });
  return () => c!;
}

const nsRef = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', name });

/** Create a test namespace, first waiting out a previous run's namespace that is still terminating. */
export async function createNamespace(c: KubeClient, name: string): Promise<void> {
  const old = await c.get(nsRef(name));
  if (old?.metadata.deletionTimestamp) await waitGone(c, nsRef(name), Date.now() + 180_000);
  await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'berth.dev/test': 'deploy' } } }, 'berth-test');
  // verify's probe pods are bare Pods: the API server refuses them until the ServiceAccount controller made `default`.
  await waitForDefaultServiceAccount(c, name, Date.now() + 60_000);
}

/** Delete a test namespace and wait until it is gone (so PVs are released for the next run). */
export async function deleteNamespace(c: KubeClient, name: string): Promise<void> {
  await c.delete(nsRef(name));
  await waitGone(c, nsRef(name), Date.now() + 180_000);
}

export async function owned(c: KubeClient, app: string, ns: string, kinds: [string, string][]): Promise<KObject[]> {
  const out: KObject[] = [];
  for (const [apiVersion, kind] of kinds) out.push(...(await c.list(apiVersion, kind, { namespace: ns, labelSelector: `berth.dev/app=${app}` })));
  return out;
}

export const APP_KINDS: [string, string][] = [
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'Service'],
  ['v1', 'PersistentVolumeClaim'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['policy/v1', 'PodDisruptionBudget'],
];

/** resourceVersion of every object, keyed by kind/name: equal maps = nothing changed. */
export function versions(objs: KObject[]): Record<string, string | undefined> {
  return Object.fromEntries(objs.map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.resourceVersion]));
}

/** A digest of a Secret's data, so tests compare credentials without ever printing them. */
export function secretDigest(s: KObject | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify(s?.data ?? {}))
    .digest('hex');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the CLI in a child process. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true', ...env }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

export function targetArgs(ns: string): string[] {
  return ['--kubeconfig', KUBECONFIG, ...(CONTEXT ? ['--context', CONTEXT] : []), '--namespace', ns];
}
