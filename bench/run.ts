/**
 * Benchmark dispatcher: `npm run bench -- <name> [args]` (e.g. `npm run bench -- synth`).
 * To add a benchmark: one entry below, either a module exporting `run(args): Promise<void>`
 * or a standalone script under lib/bench/ that is run as a child process with the args.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

type Bench = { run(args: string[]): Promise<void> };
type Entry = { what: string; load?: () => Promise<Bench>; script?: string };
const BENCHES: Record<string, Entry> = {
  synth: { what: 'berth synth vs cdk8s synth on the demo; 1..1000 WebApp+MongoDatabase pairs', load: () => import('./synth') },
  'synth-loop': { what: 'edit-to-YAML: npm run synth vs cdk8s + ts-node on a fresh clone; synth --watch save-to-YAML', load: () => import('./synth-loop') },
  verify: { what: 'full berth verify of the demo on the current cluster (see bench/verify.ts)', script: 'verify.js' },
  diagram: { what: 'berth diagram on the demo and on 10/50 WebApp+MongoDatabase pairs (fresh process each)', load: () => import('./diagram') },
  deploy: { what: 'berth deploy-to-ready vs kubectl apply + rollout status/wait on the demo; unchanged redeploys (see bench/deploy.ts)', script: 'deploy.js' },
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (!name || !Object.hasOwn(BENCHES, name)) {
    process.stderr.write(
      `usage: npm run bench -- <name> [args]\n${Object.entries(BENCHES)
        .map(([n, b]) => `  ${n.padEnd(10)} ${b.what}`)
        .join('\n')}\n`,
    );
    process.exitCode = name ? 1 : 0;
    return;
  }
  const entry = BENCHES[name];
  if (entry.load) {
    await (await entry.load()).run(args);
    return;
  }
  const r = spawnSync(process.execPath, [path.join(__dirname, entry.script!), ...args], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
