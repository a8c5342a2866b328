/**
 * Benchmark of a full `berth verify` of the demo app on the current cluster
 * (default: the local one), split into time spent waiting on Kubernetes
 * (pods terminating/starting, PVC mount, readiness, destroy/deploy) and
 * berth's own work (process start, imports, API calls, port-forwards, Mongo
 * round trips, bookkeeping). The split comes from verify's own phase
 * instrumentation (report.timings); wall time is measured around the process.
 *
 *   npm run build && node lib/bench/verify.js [--runs 2] [--skip-keep-data] [--no-deploy]
 *
 * Writes bench/results/verify-<date>.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localClusterKubeconfig } from '../src/kube/context';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'lib/src/cli/main.js');

interface Phase {
  kind: string;
  label: string;
  ms: number;
}
interface Report {
  ok: boolean;
  checks: { id: string; status: string; durationMs: number; reason: string }[];
  timings: { totalMs: number; waitingOnKubernetesMs: number; observingMs: number; berthMs: number; phases: Phase[] };
}

function berth(args: string[]): { code: number; out: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, BERTH_IMAGES: 'local', CI: '1', KUBECONFIG: process.env.KUBECONFIG ?? localClusterKubeconfig() },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}`, ms: Date.now() - t0 };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function machine(): string {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `- Kernel: ${os.type()} ${os.release()}`,
    `- Node.js: ${process.version}`,
    `- Load average at start (1/5/15 min): ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} (other work on the machine shares the 2 cores)`,
    `- Cluster: ${process.env.KUBECONFIG ?? localClusterKubeconfig()} (local single-node cluster from \`npm run cluster:up\` unless KUBECONFIG says otherwise)`,
  ].join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  const runs = Number(argv[argv.indexOf('--runs') + 1]) || 2;
  const skipKeep = argv.includes('--skip-keep-data');
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-verify-'));
  const synth = berth(['synth', '--app', 'demo', '--images', 'local', '--out', dist]);
  if (synth.code !== 0) throw new Error(`synth failed:\n${synth.out}`);
  if (!argv.includes('--no-deploy')) {
    const d = berth(['deploy', '--dist', dist, '--app', 'demo', '--no-synth']);
    if (d.code !== 0) throw new Error(`deploy failed:\n${d.out}`);
  }
  const rows: { wall: number; r: Report }[] = [];
  for (let i = 0; i < runs; i++) {
    const json = path.join(dist, `verify-${i}.json`);
    const v = berth(['verify', '--dist', dist, '--app', 'demo', '--json', json, ...(skipKeep ? ['--skip-keep-data'] : [])]);
    if (!fs.existsSync(json)) throw new Error(`verify wrote no report (exit ${v.code}):\n${v.out}`);
    const r = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
    rows.push({ wall: v.ms, r });
    process.stdout.write(`run ${i + 1}: exit ${v.code}, wall ${s(v.ms)}, k8s ${s(r.timings.waitingOnKubernetesMs)}, berth ${s(r.timings.berthMs)}\n`);
  }
  const date = new Date().toISOString().slice(0, 10);
  const phaseLabels = [...new Set(rows.flatMap((x) => x.r.timings.phases.map((p) => `${p.kind}|${p.label}`)))];
  const phaseMs = (r: Report, key: string) => r.timings.phases.find((p) => `${p.kind}|${p.label}` === key)?.ms ?? 0;
  const md = [
    `# berth verify benchmark — ${date}`,
    '',
    `Full \`berth verify\` of the demo app (BERTH_IMAGES=local: demo-web ×2 + FerretDB with a 1Gi local-path PVC)${skipKeep ? ', without the keep-data cycle' : ', including destroy --keep-data + deploy'}. ${runs} run(s), command: \`node lib/bench/verify.js ${argv.join(' ')}\`.`,
    '',
    '## Machine',
    '',
    machine(),
    '',
    '## Totals',
    '',
    '| run | all checks passed | wall (process) | verify total | waiting on Kubernetes | observing (--observe-seconds) | berth own work | berth share |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((x, i) => {
      const own = x.wall - x.r.timings.waitingOnKubernetesMs - x.r.timings.observingMs;
      return `| ${i + 1} | ${x.r.ok} | ${s(x.wall)} | ${s(x.r.timings.totalMs)} | ${s(x.r.timings.waitingOnKubernetesMs)} | ${s(x.r.timings.observingMs)} | ${s(own)} | ${((own / x.wall) * 100).toFixed(0)} % |`;
    }),
    '',
    '"berth own work" = wall time minus waiting on Kubernetes minus observing; it includes process start and module loading (before verify starts its clock), API calls, port-forwards, Mongo round trips and bookkeeping. The deploy/destroy phases of keep-data count as waiting on Kubernetes although they include deploy\'s own (small) apply work.',
    '',
    '## Waits by phase (ms)',
    '',
    `| kind | phase | ${rows.map((_, i) => `run ${i + 1}`).join(' | ')} |`,
    `|---|---|${rows.map(() => '---').join('|')}|`,
    ...phaseLabels.map((k) => `| ${k.split('|')[0]} | ${k.split('|')[1]} | ${rows.map((x) => phaseMs(x.r, k)).join(' | ')} |`),
    '',
    '## Checks (last run)',
    '',
    '| check | status | time |',
    '|---|---|---|',
    ...rows[rows.length - 1].r.checks.map((c) => `| ${c.id} | ${c.status} | ${s(c.durationMs)} |`),
    '',
  ].join('\n');
  const out = path.join(ROOT, 'bench/results', `verify-${date}.md`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, md);
  process.stdout.write(`wrote ${path.relative(ROOT, out)}\n`);
}

main();
