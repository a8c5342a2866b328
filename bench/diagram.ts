/**
 * Diagram benchmark: `berth diagram` as a user runs it (fresh process: Node
 * start, dist/ read, Graphviz WebAssembly load, layout, SVG write), on the demo
 * and on dist/ files of N WebApp+MongoDatabase pairs (made by synth-pairs.js).
 * Wall time around each child; CPU and peak RSS from /usr/bin/time when present.
 * Results go to bench/results/diagram-<date>.md.
 *   npm run bench -- diagram [--rounds 5]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measure, Sample } from './synth';

const NODE = process.execPath;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);

export async function run(args: string[]): Promise<void> {
  const rounds = Number(args[args.indexOf('--rounds') + 1] || 5);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-diagram-'));
  const cli = (...a: string[]) => ['lib/src/cli/main.js', ...a];
  measure(NODE, cli('synth', '--app', 'demo', '--images', 'upstream', '--out', path.join(tmp, 'demo')));
  const cases: { what: string; args: string[]; samples: Sample[] }[] = [
    { what: 'demo, svg', args: cli('diagram', '--app', 'demo', '--dist', path.join(tmp, 'demo'), '--out', path.join(tmp, 'demo.svg')), samples: [] },
    {
      what: 'demo, mermaid',
      args: cli('diagram', '--app', 'demo', '--dist', path.join(tmp, 'demo'), '--format', 'mermaid', '--out', path.join(tmp, 'demo.mmd')),
      samples: [],
    },
  ];
  for (const n of [10, 50]) {
    const dir = path.join(tmp, `pairs-${n}`);
    measure(NODE, ['lib/bench/synth-pairs.js', String(n), dir]);
    cases.push({
      what: `${n} pairs (${n * 9} objects), svg`,
      args: cli('diagram', '--app', 'pairs', '--dist', dir, '--out', path.join(tmp, `pairs-${n}.svg`)),
      samples: [],
    });
  }
  const loadBefore = os.loadavg();
  for (const c of cases) measure(NODE, c.args); // warm the compile cache and page cache
  for (let r = 0; r < rounds; r++) for (const c of cases) c.samples.push(measure(NODE, c.args));
  const loadAfter = os.loadavg();

  const date = new Date().toISOString();
  const lines = [
    `# diagram benchmark ${date.slice(0, 10)}`,
    '',
    `- date: ${date}`,
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.arch()} ${os.release()}`,
    `- node ${process.version}; @hpcc-js/wasm-graphviz ${JSON.parse(fs.readFileSync('node_modules/@hpcc-js/wasm-graphviz/package.json', 'utf8')).version}`,
    `- load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after: ${loadAfter.map((x) => x.toFixed(2)).join(' / ')}`,
    `- ${rounds} rounds, interleaved; fresh process each (\`node lib/src/cli/main.js diagram ...\`)`,
    '',
    '| case | wall (median) | min–max | CPU user+sys (median) | peak RSS | output |',
    '|---|---|---|---|---|---|',
    ...cases.map((c) => {
      const wall = c.samples.map((s) => s.wallMs);
      const cpu = c.samples.map((s) => s.cpuMs).filter((x): x is number => x !== undefined);
      const rss = c.samples.map((s) => s.rssKiB ?? 0);
      const out = c.args[c.args.indexOf('--out') + 1];
      return `| ${c.what} | ${ms(median(wall))} | ${ms(Math.min(...wall))}–${ms(Math.max(...wall))} | ${cpu.length ? ms(median(cpu)) : 'n/a'} | ${rss.some(Boolean) ? `${Math.round(Math.max(...rss) / 1024)} MiB` : 'n/a'} | ${Math.round(fs.statSync(out).size / 1024)} KiB |`;
    }),
    '',
  ];
  const file = path.join('bench/results', `diagram-${date.slice(0, 10)}.md`);
  fs.writeFileSync(file, lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\nwritten to ${file}\n`);
}
