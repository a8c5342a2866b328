import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { berth, byId, mustSucceed, readReport } from '../verify/cli';
import { kubectl, suffix } from '../cluster/k8s';

/**
 * Shared by the node tests: they need a cluster with at least two schedulable nodes
 * (BERTH_NODES=2 npm run cluster:up; test/run-all.sh does that) and skip, saying why, otherwise.
 */

function kubectlSync(args: string[]): string {
  const cache = process.env.BERTH_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'berth');
  const bin = fs.existsSync(path.join(cache, 'bin', 'kubectl')) ? path.join(cache, 'bin', 'kubectl') : 'kubectl';
  const kc = process.env.KUBECONFIG?.split(':')[0] || path.join(process.env.BERTH_STATE_DIR ?? '/var/lib/berth-local', 'kubeconfig');
  const r = spawnSync(bin, ['--kubeconfig', kc, ...args], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Names of Ready, uncordoned, untainted nodes (at collection time). */
export function schedulableNodes(): string[] {
  try {
    const nodes = JSON.parse(kubectlSync(['get', 'nodes', '-o', 'json'])).items as any[];
    return nodes
      .filter((n) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))
      .filter((n) => !n.spec?.unschedulable && !(n.spec?.taints ?? []).some((t: any) => t.effect !== 'PreferNoSchedule'))
      .map((n) => n.metadata.name as string)
      .sort();
  } catch (e) {
    process.stdout.write(`node tests: cannot list nodes: ${(e as Error).message}\n`);
    return [];
  }
}

/** `describe`, or `describe.skip` with the reason printed when the cluster has fewer than 2 schedulable nodes. */
export function describeWithNodes(title: string, fn: () => void): void {
  const nodes = schedulableNodes();
  if (nodes.length >= 2) return describe(title, fn);
  process.stdout.write(
    `SKIP ${title}: needs >= 2 schedulable nodes, the cluster has ${nodes.length} (${nodes.join(', ') || 'none'}); run BERTH_NODES=2 npm run cluster:up\n`,
  );
  describe.skip(title, fn);
}

export const NODE1 = 'berth-local';
export const NODE2 = 'berth-local-2';

export interface Deployed {
  app: string;
  ns: string;
  dist: string;
  host: string;
}

/**
 * The demo (local images), with its Ingress host renamed so concurrent runs on one cluster do not
 * share a host, deployed into its own namespace. `onlyNode`: every pod starts there (the other
 * node is cordoned during the deploy), which places the database and its local-path volume.
 */
export async function deployDemo(prefix: string, onlyNode?: string): Promise<Deployed> {
  const id = `${prefix}-${suffix()}`;
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), `berth-${id}-`));
  mustSucceed('berth synth demo', berth(['synth', '--app', 'demo', '--images', 'local', '--out', dist]));
  const host = `${id}.berth.local`;
  const file = path.join(dist, 'demo.k8s.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('my-app.com', host));
  const d = { app: 'demo', ns: id, dist, host };
  const others = onlyNode ? schedulableNodes().filter((n) => n !== onlyNode) : [];
  try {
    for (const n of others) await kubectl(['cordon', n]);
    mustSucceed(
      'berth deploy demo',
      berth(['deploy', '--dist', dist, '--app', 'demo', '-n', d.ns, '--create-namespace', '--no-synth', '--ingress-url', ingressUrl()]),
    );
  } finally {
    for (const n of others) await kubectl(['uncordon', n]).catch((e) => process.stderr.write(`uncordon ${n}: ${e}\n`));
  }
  return d;
}

export function ingressUrl(): string {
  return `http://127.0.0.1:${process.env.BERTH_INGRESS_PORT ?? '80'}`;
}

export async function destroy(d: Deployed): Promise<void> {
  const r = berth(['destroy', '--dist', d.dist, '--app', d.app, '-n', d.ns, '--yes']);
  if (r.code !== 0) process.stderr.write(`cleanup: berth destroy ${d.app} -n ${d.ns} exited ${r.code}: ${r.stderr}\n`);
  await kubectl(['delete', 'namespace', d.ns, '--wait=false']).catch(() => undefined);
}

/** Pod name -> node of the pods matching `selector`. */
export async function podNodes(ns: string, selector: string): Promise<Record<string, string>> {
  const pods = JSON.parse(await kubectl(['-n', ns, 'get', 'pods', '-l', selector, '-o', 'json'])).items as any[];
  return Object.fromEntries(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => [p.metadata.name, p.spec.nodeName]));
}

/** Wait until `n` pods matching `selector` are Ready. */
export async function waitReadyPods(ns: string, selector: string, n: number, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const pods = JSON.parse(await kubectl(['-n', ns, 'get', 'pods', '-l', selector, '-o', 'json'])).items as any[];
    const ready = pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length >= n) return;
    if (Date.now() > end) throw new Error(`${n} ready pods of ${selector} in ${ns} not reached within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Run verify with only the given checks; prints the table and the JSON report for the CI log. */
export function verify(d: Deployed, only: string, extra: string[] = []) {
  const json = path.join(d.dist, `verify-${only.replace(/,/g, '-')}.json`);
  const run = berth(['verify', '--dist', d.dist, '--app', d.app, '-n', d.ns, '--only', only, '--ingress-url', ingressUrl(), '--json', json, ...extra]);
  process.stdout.write(`berth verify --only ${only} -n ${d.ns} (exit ${run.code}):\n${run.stdout}\n${run.stderr}\n`);
  if (fs.existsSync(json)) process.stdout.write(`BEGIN VERIFY JSON REPORT\n${fs.readFileSync(json, 'utf8')}END VERIFY JSON REPORT\n`);
  return { run, report: fs.existsSync(json) ? readReport(json) : undefined };
}

export { byId };
