/**
 * Synth benchmark. Measured side by side in one run, interleaved round by round:
 *  - demo app: `node lib/src/cli/main.js synth --app demo` (the precompiled CLI: synth alone, without the type check and
 *    transpile cache of `npm run synth`, whose edit-to-YAML loop bench/synth-loop.ts measures)
 *    against `npx cdk8s synth` (`--app 'node lib/apps/demo/main.js'`, the compiled cdk8s entry), with and without
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
import { pkgVersion, ROOT, writeResults } from './results-file';

const NODE = process.execPath;
const TIME = '/usr/bin/time';

export interface Sample {
  wallMs: number;
  /** user + system CPU time of the process tree (less sensitive to other load than wall time). */
  cpuMs?: number;
  rssKiB?: number;
  stdout: string;
}

export function measure(cmd: string, args: string[], env: Record<string, string> = {}): Sample {
  const useTime = fs.existsSync(TIME);
  const rssFile = path.join(os.tmpdir(), `berth-bench-rss-${process.pid}`);
  const [file, argv] = useTime ? [TIME, ['-f', '%U %S %M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  if (!useTime) return { wallMs, stdout: r.stdout };
  const [user, sys, rss] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, rssKiB: rss, stdout: r.stdout };
}

/** Node flags of the berth CLI's shebang line: the benchmark runs what `berth synth` / `npm run synth` run. */
function cliNodeFlags(): string[] {
  const first = fs.readFileSync(path.join(ROOT, 'lib/src/cli/main.js'), 'utf8').split('\n', 1)[0];
  const m = /^#!\/usr\/bin\/env (?:-S )?node(.*)$/.exec(first);
  if (!m) throw new Error(`unexpected shebang in lib/src/cli/main.js: ${first}`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMiB = (kib?: number) => (kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);

interface Row {
  name: string;
  samples: Sample[];
}

function summarize(r: Row): { wall: number; min: number; max: number; cpu?: number; rss?: number } {
  const walls = r.samples.map((s) => s.wallMs);
  const cpu = r.samples.map((s) => s.cpuMs).filter((x): x is number => x !== undefined);
  const rss = r.samples.map((s) => s.rssKiB).filter((x): x is number => x !== undefined);
  return {
    wall: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    cpu: cpu.length ? median(cpu) : undefined,
    rss: rss.length ? Math.max(...rss) : undefined,
  };
}
const fmtCpu = (ms?: number) => (ms === undefined ? 'n/a' : fmtMs(ms));

export async function run(args: string[]): Promise<void> {
  const roundsArg = args.indexOf('--rounds');
  const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 5;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  const env = { BERTH_IMAGES: 'local' };
  const cdk8sBin = path.join(ROOT, 'node_modules/.bin/cdk8s');
  // npx from PATH (npm scripts put node_modules/.bin first, so it runs on this Node).
  const npx = 'npx';
  const flags = cliNodeFlags();
  const berth = (...a: string[]) => [...flags, 'lib/src/cli/main.js', ...a];
  const loadBefore = os.loadavg();
  const started = new Date();

  // Warm-up (fills Node's compile cache and the OS page cache for both tools).
  measure(NODE, berth('synth', '--app', 'demo', '--out', path.join(tmp, 'warm')), env);
  const compiledApp = ['--app', 'node lib/apps/demo/main.js'];
  measure(cdk8sBin, ['synth', ...compiledApp, '--no-check-upgrade', '--output', path.join(tmp, 'warm-cdk8s')], env);

  const cold = { ...env, BERTH_SCHEMA_CACHE: 'off' };
  const demo: Row[] = [
    { name: `\`node ${[...flags, 'lib/src/cli/main.js'].join(' ')} synth --app demo\` (berth, schema cache warm)`, samples: [] },
    { name: 'same, `BERTH_SCHEMA_CACHE=off` (every object validated)', samples: [] },
    { name: '`npx cdk8s synth` (default: upgrade check on)', samples: [] },
    { name: '`npx cdk8s synth --no-check-upgrade`', samples: [] },
  ];
  for (let i = 0; i < rounds; i++) {
    process.stderr.write(`demo round ${i + 1}/${rounds}\n`);
    demo[0].samples.push(measure(NODE, berth('synth', '--app', 'demo', '--out', path.join(tmp, 'berth')), env));
    demo[1].samples.push(measure(NODE, berth('synth', '--app', 'demo', '--out', path.join(tmp, 'berth-cold')), cold));
    demo[2].samples.push(measure(npx, ['cdk8s', 'synth', ...compiledApp, '--output', path.join(tmp, 'cdk8s')], env));
    demo[3].samples.push(measure(npx, ['cdk8s', 'synth', ...compiledApp, '--no-check-upgrade', '--output', path.join(tmp, 'cdk8s-nocheck')], env));
  }
  const same = fs.readFileSync(path.join(tmp, 'berth/demo.k8s.yaml'), 'utf8') === fs.readFileSync(path.join(tmp, 'cdk8s/demo.k8s.yaml'), 'utf8');

  const sizes = [1, 10, 100, 1000];
  type PairRow = { n: number; cache: 'warm' | 'off'; samples: Sample[]; inner: any[] };
  const pairs: PairRow[] = sizes.flatMap((n) => (['off', 'warm'] as const).map((cache) => ({ n, cache, samples: [], inner: [] })));
  for (const n of sizes) measure(NODE, [...flags, 'lib/bench/synth-pairs.js', String(n), path.join(tmp, `pairs-${n}`)]); // fill the cache
  for (let i = 0; i < rounds; i++) {
    for (const p of pairs) {
      process.stderr.write(`pairs ${p.n} (schema cache ${p.cache}) round ${i + 1}/${rounds}\n`);
      const s = measure(
        NODE,
        [...flags, 'lib/bench/synth-pairs.js', String(p.n), path.join(tmp, `pairs-${p.n}`)],
        p.cache === 'off' ? { BERTH_SCHEMA_CACHE: 'off' } : {},
      );
      p.samples.push(s);
      p.inner.push(JSON.parse(s.stdout.trim()));
    }
  }
  const loadAfter = os.loadavg();

  const d = demo.map(summarize);
  const lines: string[] = [];
  lines.push(`# synth benchmark ${started.toISOString().slice(0, 10)}`, '');
  lines.push(`- date: ${started.toISOString()}`);
  lines.push(
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
  );
  lines.push(`- node ${process.version}; cdk8s ${pkgVersion('cdk8s')}, cdk8s-cli ${pkgVersion('cdk8s-cli')}, cdk8s-plus-33 ${pkgVersion('cdk8s-plus-33')}`);
  lines.push(
    `- load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after: ${loadAfter.map((x) => x.toFixed(2)).join(' / ')} (other jobs on the machine inflate all times alike)`,
  );
  lines.push(
    `- ${rounds} rounds, interleaved; median wall time (min–max); peak RSS = max over rounds (KiB from /usr/bin/time -f %M, the largest process in the tree)`,
  );
  lines.push('');
  lines.push('## Demo app (BERTH_IMAGES=local), same compiled app for both tools', '');
  lines.push('| command | wall (median) | min–max | CPU user+sys (median) | peak RSS |', '|---|---|---|---|---|');
  demo.forEach((r, i) => lines.push(`| ${r.name} | ${fmtMs(d[i].wall)} | ${fmtMs(d[i].min)}–${fmtMs(d[i].max)} | ${fmtCpu(d[i].cpu)} | ${fmtMiB(d[i].rss)} |`));
  lines.push('');
  const ratio = (a: number, b: number) => (a / b).toFixed(3);
  lines.push(
    `berth / cdk8s CLI wall time (target ≤ 0.100): cache warm ${ratio(d[0].wall, d[2].wall)} (default CLI), ${ratio(d[0].wall, d[3].wall)} (no upgrade check); cache off ${ratio(d[1].wall, d[2].wall)}, ${ratio(d[1].wall, d[3].wall)}.`,
  );
  if (d[0].cpu && d[1].cpu && d[2].cpu && d[3].cpu) {
    lines.push(
      `Same ratios in CPU time: warm ${ratio(d[0].cpu, d[2].cpu)}, ${ratio(d[0].cpu, d[3].cpu)}; off ${ratio(d[1].cpu, d[2].cpu)}, ${ratio(d[1].cpu, d[3].cpu)}.`,
    );
  }
  lines.push(
    `The cdk8s CLI runs the same compiled app (cdk8s.yaml), so it gets the same validation and the same schema cache; the difference is the CLI. Output bytes identical: ${same ? 'yes' : 'NO'}.`,
  );
  lines.push('');
  lines.push(
    `## N WebApp + MongoDatabase pairs (${pairs[0].inner[0].objects / pairs[0].n} objects per pair), fresh process each (\`node ${flags.join(' ')}\`)`,
    '',
  );
  lines.push(
    '| pairs | schema cache | objects | YAML size | wall (median) | min–max | CPU (median) | in-process build+validate+render (median) | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  const pw = pairs.map((p) => ({
    ...summarize({ name: '', samples: p.samples }),
    render: median(p.inner.map((x) => x.renderMs)),
    objects: p.inner[0].objects,
    bytes: p.inner[0].bytes,
    n: p.n,
    cache: p.cache,
  }));
  for (const p of pw)
    lines.push(
      `| ${p.n} | ${p.cache} | ${p.objects} | ${(p.bytes / 1024).toFixed(0)} KiB | ${fmtMs(p.wall)} | ${fmtMs(p.min)}–${fmtMs(p.max)} | ${fmtCpu(p.cpu)} | ${fmtMs(p.render)} | ${fmtMiB(p.rss)} |`,
    );
  lines.push('');
  for (const cache of ['off', 'warm'] as const) {
    const at = (n: number) => pw.find((p) => p.n === n && p.cache === cache)!;
    const slope = (a: number, b: number) => ((at(b).wall - at(a).wall) / (b - a)).toFixed(2);
    lines.push(
      `Schema cache ${cache}: marginal cost per pair ${slope(10, 100)} ms (10→100), ${slope(100, 1000)} ms (100→1000); fixed cost ≈ ${fmtMs(at(1).wall)}. 1000 pairs: ${fmtMs(at(1000).wall)} (target < 3 s), ${fmtMiB(at(1000).rss)} (target < 300 MiB).`,
    );
  }
  const text = `${lines.join('\n')}\n`;

  writeResults('synth', started, text);
  fs.rmSync(tmp, { recursive: true, force: true });
}
