// Long on purpose: one benchmark script that sets up a clean clone, runs three tools side by side
// and writes the results file; splitting it would scatter one measurement over several files.
/**
 * The edit-to-YAML loop as a user meets it, on a fresh clone of this checkout
 * (HEAD; node_modules linked package by package, own empty caches):
 *  - one-shot: after an edit of apps/demo/app.ts, the README's `npm run synth` as typed,
 *    side by side (interleaved, same edits) with `cdk8s synth --app "npx ts-node apps/demo/main.ts"`
 *    (cdk8s' default TypeScript flow, types checked) and the cdk8s CLI on the precompiled app;
 *  - the very first `npm run synth` on the clean clone (every cache cold);
 *  - watch: `berth synth --watch --app demo`, time from writing app.ts to the new YAML on disk,
 *    and to the type check's verdict.
 * Every edit changes the web replicas; each tool's YAML is checked to hold the new value.
 * Wall time around each child; CPU and peak RSS from /usr/bin/time (largest process of the tree);
 * in one more run per command, the summed RSS of the whole process tree, sampled from /proc.
 * Results: bench/results/synth-loop-<date>.md.   npm run bench -- synth-loop [--rounds 5] [--watch-rounds 10]
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pkgVersion, ROOT, writeResults } from './results-file';

const TIME = '/usr/bin/time';

interface Sample {
  wallMs: number;
  cpuMs?: number;
  rssKiB?: number;
}

const arg = (args: string[], name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtMs = (ms?: number) => (ms === undefined ? 'n/a' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMiB = (kib?: number) => (kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PATH as a user's shell has it: without the node_modules/.bin dirs npm run prepends (so npm runs on the machine's Node). */
function userPath(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((d) => !d.includes(`${path.sep}node_modules${path.sep}`))
    .join(path.delimiter);
}

/** A fresh clone of HEAD with node_modules linked entry by entry (its own, empty .cache). */
function cleanClone(dir: string): void {
  const r = spawnSync('git', ['clone', '-q', '--no-hardlinks', ROOT, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git clone failed: ${r.stderr}`);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const e of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (e !== '.cache') fs.symlinkSync(path.join(ROOT, 'node_modules', e), path.join(dir, 'node_modules', e));
  }
}

function measure(cwd: string, cmd: string[], env: NodeJS.ProcessEnv): Sample & { stdout: string; stderr: string } {
  const useTime = fs.existsSync(TIME);
  const out = path.join(os.tmpdir(), `berth-loop-time-${process.pid}`);
  const [file, argv] = useTime ? [TIME, ['-f', '%U %S %M', '-o', out, ...cmd]] : [cmd[0], cmd.slice(1)];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd, encoding: 'utf8', env });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  if (!useTime) return { wallMs, stdout: r.stdout, stderr: r.stderr };
  const [user, sys, rss] = fs.readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, rssKiB: rss, stdout: r.stdout, stderr: r.stderr };
}

/** Pids of `root` and all its descendants (Linux /proc). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(root);
  return out;
}

/**
 * Peak of the summed RSS of a command's whole process tree (npm, berth, the type checker at once),
 * sampled every 5 ms: a separate run, since the sampling itself costs CPU.
 */
async function treePeakRssKiB(cwd: string, cmd: string[], env: NodeJS.ProcessEnv): Promise<number | undefined> {
  if (!fs.existsSync('/proc/self/statm')) return undefined;
  const child = spawn(cmd[0], cmd.slice(1), { cwd, env, stdio: 'ignore' });
  let peak = 0;
  let running = true;
  child.once('close', () => (running = false));
  while (running) {
    let sum = 0;
    for (const pid of processTree(child.pid!)) {
      try {
        sum += Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4;
      } catch {
        // exited between the listing and the read
      }
    }
    peak = Math.max(peak, sum);
    await sleep(5);
  }
  return peak;
}

/** Set the demo web app's replicas (both image sets' WebApps) to `n`. */
function editDemo(clone: string, n: number): void {
  const f = path.join(clone, 'apps/demo/app.ts');
  const text = fs.readFileSync(f, 'utf8');
  const next = text.replace(/(new WebApp\(chart, 'web', \{[^}]*?replicas: )\d+/gs, `$1${n}`);
  if (next === text && !text.includes(`replicas: ${n},`)) throw new Error('apps/demo/app.ts: could not find the web replicas to edit');
  fs.writeFileSync(f, next);
}

function webReplicas(yamlFile: string): number | undefined {
  const text = fs.readFileSync(yamlFile, 'utf8');
  const deployment = text.split(/^---$/m).find((d) => /kind: Deployment/.test(d));
  return Number(/replicas: (\d+)/.exec(deployment ?? '')?.[1]);
}

interface Tool {
  name: string;
  cmd: string[];
  env?: NodeJS.ProcessEnv;
  /** Where the demo YAML lands, to check the edit made it (undefined: the tool does not compile, nothing to check). */
  yaml?: string;
  samples: Sample[];
}

async function watchLoop(clone: string, rounds: number, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--max-semi-space-size=2', 'bin/berth.js', 'synth', '--watch', '--app', 'demo'], {
    cwd: clone,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const waitOutput = async (re: RegExp, from: number, timeoutMs = 30_000) => {
    const t0 = Date.now();
    while (!re.test(output.slice(from))) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`watch: timed out waiting for ${re}:\n${output}`);
      await sleep(2);
    }
  };
  await waitOutput(/types ok/, 0);
  const yaml = path.join(clone, 'dist/demo.k8s.yaml');
  const yamlMs: number[] = [];
  const typesMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const n = 10 + i;
    const from = output.length;
    const t0 = performance.now();
    editDemo(clone, n);
    while (webReplicas(yaml) !== n) {
      if (performance.now() - t0 > 30_000) throw new Error(`watch: YAML never got replicas ${n}:\n${output}`);
      await sleep(1);
    }
    yamlMs.push(performance.now() - t0);
    await waitOutput(/types ok/, from);
    typesMs.push(performance.now() - t0);
    await sleep(300);
  }
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.existsSync(`/proc/${child.pid}/status`) ? fs.readFileSync(`/proc/${child.pid}/status`, 'utf8') : '')?.[1];
  child.kill('SIGINT');
  await new Promise((r) => child.once('close', r));
  return { yamlMs, typesMs, rssKiB: hwm ? Number(hwm) : undefined };
}

export async function run(args: string[]): Promise<void> {
  const rounds = arg(args, 'rounds', 5);
  const watchRounds = arg(args, 'watch-rounds', 10);
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-loop-')));
  const clone = path.join(tmp, 'berth');
  cleanClone(clone);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: userPath(), CI: '1' };
  delete env.BERTH_IMAGES;
  for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
  const npmNode = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
  const loadBefore = os.loadavg();
  const started = new Date();

  process.stderr.write('first npm run synth on the clean clone (all caches cold)\n');
  editDemo(clone, 3);
  const first = measure(clone, ['npm', 'run', 'synth'], env);
  if (webReplicas(path.join(clone, 'dist/demo.k8s.yaml')) !== 3) throw new Error('first synth: edit not in the YAML');
  process.stderr.write('building lib/ for the precompiled cdk8s run\n');
  measure(clone, [path.join(clone, 'node_modules/.bin/tsc'), '-p', 'tsconfig.json'], env);

  // ts-node needs TypeScript's JS API, which TypeScript 7 (the project's compiler) no longer ships: ts-node gets 5.9.
  const tsNodeEnv = { ...env, TS_NODE_COMPILER_OPTIONS: '{"moduleResolution":"node10"}' };
  const cdk8sOut = path.join(tmp, 'cdk8s-out');
  const tools: Tool[] = [
    { name: '`npm run synth` (README; all 3 apps, types checked)', cmd: ['npm', 'run', 'synth'], yaml: path.join(clone, 'dist/demo.k8s.yaml'), samples: [] },
    {
      name: '`npm run synth -- --app demo` (types checked)',
      cmd: ['npm', 'run', 'synth', '--', '--app', 'demo'],
      yaml: path.join(clone, 'dist/demo.k8s.yaml'),
      samples: [],
    },
    {
      name: '`npx cdk8s synth --app "npx ts-node apps/demo/main.ts"` (cdk8s default TS flow, types checked)',
      cmd: ['npx', 'cdk8s', 'synth', '--no-check-upgrade', '--output', cdk8sOut, '--app', 'npx ts-node apps/demo/main.ts'],
      env: tsNodeEnv,
      yaml: path.join(cdk8sOut, 'demo.k8s.yaml'),
      samples: [],
    },
    {
      name: '`npx cdk8s synth --app "node lib/apps/demo/main.js"` (precompiled app, no compile, no type check; edit not seen)',
      cmd: ['npx', 'cdk8s', 'synth', '--no-check-upgrade', '--output', path.join(tmp, 'cdk8s-pre'), '--app', 'node lib/apps/demo/main.js'],
      samples: [],
    },
  ];
  // Warm-up: OS page cache and npx's lookups for every tool (berth's caches are already warm from the first run).
  for (const t of tools) measure(clone, t.cmd, t.env ?? env);
  for (let i = 0; i < rounds; i++) {
    for (const t of tools) {
      const n = 4 + ((i * tools.length + tools.indexOf(t)) % 90);
      process.stderr.write(`round ${i + 1}/${rounds}: ${t.cmd.slice(0, 3).join(' ')}… (replicas ${n})\n`);
      editDemo(clone, n);
      const s = measure(clone, t.cmd, t.env ?? env);
      if (t.yaml && webReplicas(t.yaml) !== n) throw new Error(`${t.name}: the YAML does not have the edit (replicas ${n})`);
      t.samples.push(s);
    }
  }
  process.stderr.write('summed RSS of each process tree\n');
  const treeRss: (number | undefined)[] = [];
  for (const t of tools) {
    editDemo(clone, 99);
    treeRss.push(await treePeakRssKiB(clone, t.cmd, t.env ?? env));
  }
  process.stderr.write(`watch loop, ${watchRounds} saves\n`);
  const watch = await watchLoop(clone, watchRounds, env);
  const loadAfter = os.loadavg();

  const lines: string[] = [];
  const sum = (t: Tool) => ({
    wall: median(t.samples.map((s) => s.wallMs)),
    min: Math.min(...t.samples.map((s) => s.wallMs)),
    max: Math.max(...t.samples.map((s) => s.wallMs)),
    cpu: t.samples[0].cpuMs === undefined ? undefined : median(t.samples.map((s) => s.cpuMs!)),
    rss: t.samples[0].rssKiB === undefined ? undefined : Math.max(...t.samples.map((s) => s.rssKiB!)),
  });
  const s = tools.map(sum);
  lines.push(`# edit-to-YAML loop benchmark ${started.toISOString().slice(0, 10)}`, '');
  lines.push(`- date: ${started.toISOString()}`);
  lines.push(
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.arch()} ${os.release()}`,
  );
  lines.push(
    `- Node: berth and cdk8s run on ${process.version} (node_modules/.bin/node); \`npm\`/\`npx\` themselves on the shell's node ${npmNode}; TypeScript ${pkgVersion('typescript-7')} (berth's type check), ts-node ${pkgVersion('ts-node')} with TypeScript ${pkgVersion('typescript')}, @swc/core ${pkgVersion('@swc/core')}, cdk8s-cli ${pkgVersion('cdk8s-cli')}`,
  );
  lines.push(
    `- load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after: ${loadAfter.map((x) => x.toFixed(2)).join(' / ')} (the machine is shared; other jobs inflate every time alike, which is why the tools run interleaved)`,
  );
  lines.push(
    `- a fresh \`git clone\` of HEAD, node_modules linked package by package with its own empty \`.cache\`; every run follows an edit of apps/demo/app.ts (web replicas) and its YAML is checked to hold the new value`,
  );
  lines.push(
    `- ${rounds} rounds, interleaved; wall = median (min–max); CPU = user+sys of the whole tree (median); peak RSS = largest single process of the tree, max over rounds (/usr/bin/time %M)`,
  );
  lines.push('');
  lines.push('## One-shot: edit, then the command', '');
  lines.push('| command | wall (median) | min–max | CPU (median) | peak RSS, largest process | peak RSS, whole tree summed |', '|---|---|---|---|---|---|');
  tools.forEach((t, i) =>
    lines.push(
      `| ${t.name} | ${fmtMs(s[i].wall)} | ${fmtMs(s[i].min)}–${fmtMs(s[i].max)} | ${fmtMs(s[i].cpu)} | ${fmtMiB(s[i].rss)} | ${fmtMiB(treeRss[i])} |`,
    ),
  );
  lines.push(
    `| first \`npm run synth\` on the clean clone (no transpile cache, no type-check state, no schema cache) | ${fmtMs(first.wallMs)} | | ${fmtMs(first.cpuMs)} | ${fmtMiB(first.rssKiB)} | |`,
  );
  lines.push('');
  const x = (a: number, b: number) => (b / a).toFixed(2);
  lines.push(
    `Speed-up of the README's \`npm run synth\` over cdk8s + ts-node (wall, medians; target ≥ 3): **${x(s[0].wall, s[2].wall)}x** (all 3 apps vs the demo alone); \`npm run synth -- --app demo\`: **${x(s[1].wall, s[2].wall)}x**. In CPU time: ${s[0].cpu && s[2].cpu ? x(s[0].cpu, s[2].cpu) : 'n/a'}x and ${s[1].cpu && s[2].cpu ? x(s[1].cpu, s[2].cpu) : 'n/a'}x.`,
  );
  lines.push(
    `Against the cdk8s CLI on the precompiled app (which neither compiles nor type-checks the edit): ${x(s[0].wall, s[3].wall)}x and ${x(s[1].wall, s[3].wall)}x.`,
  );
  lines.push(
    `Peak RSS of \`npm run synth\`: ${fmtMiB(s[0].rss)} for its largest process, berth itself (goal ≤ 150 MiB); ${fmtMiB(treeRss[0])} summed over npm, berth and the type checker running at the same time (sampled every 5 ms in a separate run).`,
  );
  lines.push('');
  lines.push(`## Watch: \`berth synth --watch --app demo\`, ${watchRounds} saves`, '');
  lines.push('| from writing app.ts to | median | min–max |', '|---|---|---|');
  lines.push(
    `| the new YAML on disk (target ≤ 300 ms) | ${fmtMs(median(watch.yamlMs))} | ${fmtMs(Math.min(...watch.yamlMs))}–${fmtMs(Math.max(...watch.yamlMs))} |`,
  );
  lines.push(
    `| the type check's verdict printed | ${fmtMs(median(watch.typesMs))} | ${fmtMs(Math.min(...watch.typesMs))}–${fmtMs(Math.max(...watch.typesMs))} |`,
  );
  lines.push('');
  lines.push(
    `Peak RSS of the watch process (VmHWM, the type checker is a separate process): ${fmtMiB(watch.rssKiB)}. In watch mode the YAML is written as soon as synth's validation passed; type errors follow when the checker has them, and such a manifest does not count as fresh for deploy.`,
  );
  const text = `${lines.join('\n')}\n`;
  writeResults('synth-loop', started, text);
  fs.rmSync(tmp, { recursive: true, force: true });
}
