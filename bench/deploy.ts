/**
 * Deploy benchmark: berth deploy-to-ready vs `kubectl apply -f dist/` followed by
 * `kubectl rollout status` / `kubectl wait`, side by side in one run, on the same
 * cluster and app (the demo, synthesized with BERTH_IMAGES=local), each round in
 * fresh namespaces; then unchanged redeploys.
 *
 *   node lib/bench/deploy.js [--rounds 3] [--redeploys 5] [--context berth-local] [--kubeconfig F] [--out bench/results] [--skip-ingress]
 *
 * Writes bench/results/deploy-<date>.md (machine, date, every sample, medians).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect, deploy, KubeClient } from '../src/deploy';
import { waitGone } from '../src/deploy/destroy';
import { generatedKeys, randomValue } from '../src/deploy/secrets';
import { parseAllDocuments, stringify } from 'yaml';
import { synth } from '../src/synth';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'lib/src/cli/main.js');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const kubeconfig = arg('kubeconfig', process.env.KUBECONFIG ?? `${process.env.BERTH_STATE_DIR ?? '/var/lib/berth-local'}/kubeconfig`);
const context = arg('context', 'berth-local');
const rounds = Number(arg('rounds', '3'));
const redeploys = Number(arg('redeploys', '5'));
const outDir = arg('out', path.join(ROOT, 'bench/results'));
/** Leave the Ingress out (for a cluster without a working ingress controller); recorded in the results. */
const skipIngress = process.argv.includes('--skip-ingress');
const kubectl = path.join(process.env.BERTH_CACHE_DIR ?? path.join(os.homedir(), '.cache/berth'), 'bin/kubectl');

function run(cmd: string, args: string[]): { ms: number; out: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, CI: 'true', KUBECONFIG: kubeconfig } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { ms, out: r.stdout };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

async function freshNamespace(c: KubeClient, ns: string): Promise<void> {
  await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
  await waitGone(c, { apiVersion: 'v1', kind: 'Namespace', name: ns }, Date.now() + 180_000);
  await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'berth.dev/bench': 'deploy' } } }, 'berth-bench');
}

async function dropNamespace(c: KubeClient, ns: string): Promise<void> {
  await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
  await waitGone(c, { apiVersion: 'v1', kind: 'Namespace', name: ns }, Date.now() + 180_000);
}

/** What kubectl users run to deploy and wait for the same readiness berth waits for. */
function kubectlApplyAndWait(file: string, ns: string): number {
  const steps: string[][] = [
    ['apply', '-n', ns, '-f', file],
    ['rollout', 'status', '-n', ns, 'statefulset/demo-db', '--timeout=5m'],
    ['rollout', 'status', '-n', ns, 'deployment/demo-web', '--timeout=5m'],
    ...(skipIngress ? [] : [['wait', '-n', ns, '--for=jsonpath={.status.loadBalancer.ingress}', 'ingress/demo-web', '--timeout=5m']]),
  ];
  return steps.reduce((sum, a) => sum + run(kubectl, ['--context', context, ...a]).ms, 0);
}

function berthDeploy(dist: string, ns: string): number {
  return run(process.execPath, [
    CLI,
    'deploy',
    '--dist',
    dist,
    '--app',
    'demo',
    '--kubeconfig',
    kubeconfig,
    '--context',
    context,
    '--namespace',
    ns,
    '--no-synth',
    '--progress',
    'plain',
  ]).ms;
}

async function main(): Promise<void> {
  if (!fs.existsSync(kubectl)) throw new Error(`kubectl not found at ${kubectl} (npm run cluster:up builds it)`);
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-deploy-'));
  process.env.BERTH_IMAGES = 'local';
  synth({ apps: ['demo'], outDir: dist });
  const berthFile = path.join(dist, 'demo.k8s.yaml');
  const docs = parseAllDocuments(fs.readFileSync(berthFile, 'utf8'))
    .map((d) => d.toJS())
    .filter((o) => o && !(skipIngress && o.kind === 'Ingress'));
  fs.writeFileSync(berthFile, docs.map((o) => stringify(o)).join('---\n'));
  // kubectl cannot fill deploy-time credentials: give it the same manifests with the generated
  // keys already set, as a kubectl user would have to. Kept in a 0600 temp file, removed below.
  const kubectlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-kubectl-'));
  const file = path.join(kubectlDir, 'demo.k8s.yaml');
  const withSecrets = docs.map((o) =>
    generatedKeys(o).length
      ? { ...o, data: { ...o.data, ...Object.fromEntries(generatedKeys(o).map((k) => [k, Buffer.from(randomValue()).toString('base64')])) } }
      : o,
  );
  fs.writeFileSync(file, withSecrets.map((o) => stringify(o)).join('---\n'), { mode: 0o600 });
  const c = await connect({ kubeconfig, context });
  const version = (await c.checkReachable()).gitVersion;
  const nsB = 'berth-bench-berth';
  const nsK = 'berth-bench-kubectl';
  const berth: number[] = [];
  const kube: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      // Alternate who goes first so image/page caches and node load favour neither.
      const order = i % 2 === 0 ? ['berth', 'kubectl'] : ['kubectl', 'berth'];
      for (const who of order) {
        if (who === 'berth') {
          await freshNamespace(c, nsB);
          berth.push(berthDeploy(dist, nsB));
        } else {
          await freshNamespace(c, nsK);
          kube.push(kubectlApplyAndWait(file, nsK));
        }
        process.stdout.write(`round ${i + 1} ${who}: ${fmt(who === 'berth' ? berth[berth.length - 1] : kube[kube.length - 1])}\n`);
      }
    }
    // Unchanged redeploys on the ready app.
    const berthNoop: number[] = [];
    const apiNoop: number[] = [];
    const kubeNoop: number[] = [];
    for (let i = 0; i < redeploys; i++) {
      berthNoop.push(berthDeploy(dist, nsB));
      const t0 = process.hrtime.bigint();
      const [r] = await deploy({ client: c, dist, app: 'demo', namespace: nsB, progress: 'silent' });
      apiNoop.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.applied.some((a) => a.change !== 'unchanged') || r.pruned.length) throw new Error('unchanged redeploy changed something');
      kubeNoop.push(kubectlApplyAndWait(file, nsK));
    }
    const date = new Date().toISOString();
    const cpus = os.cpus();
    const lines = [
      `# berth deploy vs kubectl apply + rollout status/wait`,
      '',
      `- date: ${date}`,
      `- machine: ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, load average at end ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
      `- node ${process.version}; cluster ${version} (context ${context}); kubectl ${run(kubectl, ['version', '--client', '-o', 'json']).out.match(/"gitVersion":\s*"([^"]+)"/)?.[1] ?? '?'}`,
      `- app: demo (BERTH_IMAGES=local: demo-web x2 + FerretDB StatefulSet with PVC + Services + ${skipIngress ? 'PDB; **Ingress left out (--skip-ingress: no ingress controller running)**' : 'Ingress + PDB'}), each round in a fresh namespace`,
      `- berth: \`berth deploy --no-synth\` (CLI process, wall time until ready: Deployment, StatefulSet, PVC, Service endpoints, Ingress address)`,
      `- kubectl: \`kubectl apply -f demo.k8s.yaml\` + \`rollout status statefulset/demo-db\` + \`rollout status deployment/demo-web\` + \`wait --for=jsonpath={.status.loadBalancer.ingress} ingress/demo-web\` (sum of the four processes)`,
      '',
      '## Deploy to ready (fresh namespace)',
      '',
      '| round | berth deploy | kubectl apply + wait |',
      '|---|---|---|',
      ...berth.map((b, i) => `| ${i + 1} | ${fmt(b)} | ${fmt(kube[i])} |`),
      `| **median** | **${fmt(median(berth))}** | **${fmt(median(kube))}** |`,
      '',
      '## Unchanged redeploy (app already ready)',
      '',
      '| run | berth deploy (CLI process) | deploy() API in-process | kubectl apply + wait |',
      '|---|---|---|---|',
      ...berthNoop.map((b, i) => `| ${i + 1} | ${fmt(b)} | ${fmt(apiNoop[i])} | ${fmt(kubeNoop[i])} |`),
      `| **median** | **${fmt(median(berthNoop))}** | **${fmt(median(apiNoop))}** | **${fmt(median(kubeNoop))}** |`,
      '',
    ];
    fs.mkdirSync(outDir, { recursive: true });
    const out = path.join(outDir, `deploy-${date.slice(0, 10)}.md`);
    fs.writeFileSync(out, lines.join('\n'));
    process.stdout.write(`${lines.join('\n')}\nwrote ${out}\n`);
  } finally {
    await dropNamespace(c, nsB).catch(() => undefined);
    await dropNamespace(c, nsK).catch(() => undefined);
    c.close();
    fs.rmSync(kubectlDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench deploy: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
