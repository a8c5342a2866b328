/**
 * Synth benchmark. Measured side by side in one run, interleaved round by round:
 *  - demo app: `node lib/src/cli/main.js synth --app demo` (what `npm run synth` runs after its build)
 *    against `npx cdk8s synth` (cdk8s.yaml: node lib/apps/demo/main.js), with and without
 *    the CLI's upgrade check (a network request on every run);
 *  - N WebApp+MongoDatabase pairs, N = 1, 10, 100, 1000, in a fresh process each.
 * Wall time is measured around each child process; peak RSS by /usr/bin/time (-f %M, KiB).
 * Results go to bench/results/synth-<date>.md with the machine and its load.
 *   npm run bench -- synth [--rounds 5]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const NODE = process.execPath;
const TIME = '/usr/bin/time';

interface Sample {
  wallMs: number;
  rssKiB?: number;
  stdout: string;
}

function measure(cmd: string, args: string[], env: Record<string, string> = {}): Sample {
  const useTime = fs.existsSync(TIME);
  const rssFile = path.join(os.tmpdir(), `berth-bench-rss-${process.pid}`);
  const [file, argv] = useTime ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const rssKiB = useTime ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : undefined;
  return { wallMs, rssKiB, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMiB = (kib?: number) => (kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);

interface Row {
  name: string;
  samples: Sample[];
}

function summarize(r: Row): { wall: number; min: number; max: number; rss?: number } {
  const walls = r.samples.map((s) => s.wallMs);
  const rss = r.samples.map((s) => s.rssKiB).filter((x): x is number => x !== undefined);
  return { wall: median(walls), min: Math.min(...walls), max: Math.max(...walls), rss: rss.length ? Math.max(...rss) : undefined };
}

export async function run(args: string[]): Promise<void> {
  const roundsArg = args.indexOf('--rounds');
  const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 5;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const env = { BERTH_IMAGES: 'local' };
  const cdk8sBin = path.join(ROOT, 'node_modules/.bin/cdk8s');
  // npx from PATH (npm scripts put node_modules/.bin first, so it runs on this Node).
  const npx = 'npx';
  const loadBefore = os.loadavg();
  const started = new Date();

  // Warm-up (fills Node's compile cache and the OS page cache for both tools).
  measure(NODE, ['lib/src/cli/main.js', 'synth', '--app', 'demo', '--out', path.join(tmp, 'warm')], env);
  measure(cdk8sBin, ['synth', '--no-check-upgrade', '--output', path.join(tmp, 'warm-cdk8s')], env);

  const demo: Row[] = [
    { name: '`node lib/src/cli/main.js synth --app demo` (berth)', samples: [] },
    { name: '`npx cdk8s synth` (default: upgrade check on)', samples: [] },
    { name: '`npx cdk8s synth --no-check-upgrade`', samples: [] },
  ];
  for (let i = 0; i < rounds; i++) {
    process.stderr.write(`demo round ${i + 1}/${rounds}\n`);
    demo[0].samples.push(measure(NODE, ['lib/src/cli/main.js', 'synth', '--app', 'demo', '--out', path.join(tmp, 'berth')], env));
    demo[1].samples.push(measure(npx, ['cdk8s', 'synth', '--output', path.join(tmp, 'cdk8s')], env));
    demo[2].samples.push(measure(npx, ['cdk8s', 'synth', '--no-check-upgrade', '--output', path.join(tmp, 'cdk8s-nocheck')], env));
  }
  const same = fs.readFileSync(path.join(tmp, 'berth/demo.k8s.yaml'), 'utf8') === fs.readFileSync(path.join(tmp, 'cdk8s/demo.k8s.yaml'), 'utf8');

  const sizes = [1, 10, 100, 1000];
  const pairs: { n: number; samples: Sample[]; inner: any[] }[] = sizes.map((n) => ({ n, samples: [], inner: [] }));
  for (let i = 0; i < rounds; i++) {
    for (const p of pairs) {
      process.stderr.write(`pairs ${p.n} round ${i + 1}/${rounds}\n`);
      const s = measure(NODE, ['lib/bench/synth-pairs.js', String(p.n), path.join(tmp, `pairs-${p.n}`)]);
      p.samples.push(s);
      p.inner.push(JSON.parse(s.stdout.trim()));
    }
  }
  const loadAfter = os.loadavg();

  const d = demo.map(summarize);
  const lines: string[] = [];
  lines.push(`# synth benchmark ${started.toISOString().slice(0, 10)}`, '');
  lines.push(`- date: ${started.toISOString()}`);
  lines.push(`- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`);
  lines.push(`- node ${process.version}; cdk8s ${pkgVersion('cdk8s')}, cdk8s-cli ${pkgVersion('cdk8s-cli')}, cdk8s-plus-33 ${pkgVersion('cdk8s-plus-33')}`);
  lines.push(`- load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after: ${loadAfter.map((x) => x.toFixed(2)).join(' / ')} (other jobs on the machine inflate all times alike)`);
  lines.push(`- ${rounds} rounds, interleaved; median wall time (min–max); peak RSS = max over rounds (KiB from /usr/bin/time -f %M, the largest process in the tree)`);
  lines.push('');
  lines.push('## Demo app (BERTH_IMAGES=local), same compiled app for both tools', '');
  lines.push('| command | wall (median) | min–max | peak RSS | vs berth |', '|---|---|---|---|---|');
  demo.forEach((r, i) => lines.push(`| ${r.name} | ${fmtMs(d[i].wall)} | ${fmtMs(d[i].min)}–${fmtMs(d[i].max)} | ${fmtMiB(d[i].rss)} | ${(d[i].wall / d[0].wall).toFixed(1)}× |`));
  lines.push('');
  lines.push(`berth / cdk8s wall time: ${(d[0].wall / d[1].wall).toFixed(3)} (default CLI), ${(d[0].wall / d[2].wall).toFixed(3)} (no upgrade check); target ≤ 0.100. Output bytes identical: ${same ? 'yes' : 'NO'}.`);
  lines.push('');
  lines.push('## N WebApp + MongoDatabase pairs (7 objects per pair), fresh process each', '');
  lines.push('| pairs | objects | YAML size | wall (median) | min–max | in-process render (median) | peak RSS |', '|---|---|---|---|---|---|---|');
  const pw = pairs.map((p) => ({ ...summarize({ name: '', samples: p.samples }), render: median(p.inner.map((x) => x.renderMs)), objects: p.inner[0].objects, bytes: p.inner[0].bytes, n: p.n }));
  for (const p of pw) lines.push(`| ${p.n} | ${p.objects} | ${(p.bytes / 1024).toFixed(0)} KiB | ${fmtMs(p.wall)} | ${fmtMs(p.min)}–${fmtMs(p.max)} | ${fmtMs(p.render)} | ${fmtMiB(p.rss)} |`);
  const slope = (a: (typeof pw)[0], b: (typeof pw)[0]) => (b.wall - a.wall) / (b.n - a.n);
  lines.push('');
  lines.push(`Marginal cost per pair: ${slope(pw[1], pw[2]).toFixed(2)} ms (10→100), ${slope(pw[2], pw[3]).toFixed(2)} ms (100→1000); fixed cost ≈ ${fmtMs(pw[0].wall)} (Node start, module load, schema validators).`);
  lines.push(`1000 pairs: ${fmtMs(pw[3].wall)} (target < 3 s), ${fmtMiB(pw[3].rss)} (target < 300 MiB).`);
  const text = `${lines.join('\n')}\n`;

  const outDir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `synth-${started.toISOString().slice(0, 10)}.md`);
  fs.writeFileSync(file, text);
  process.stdout.write(`${text}\nwritten to ${path.relative(ROOT, file)}\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

function pkgVersion(name: string): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'n/a';
  }
}
