#!/usr/bin/env -S node --max-semi-space-size=2
// The flag caps V8's young generation: synth of 1000 WebApp+MongoDatabase pairs peaks at ~165 MiB
// instead of ~290 MiB, at no measurable cost in time (bench/results/synth-*.md). npm scripts
// pass the same flag (package.json); the synth benchmark reads it from this line.
// berth CLI: each subcommand lives in ./commands/<name>.ts and exports register(program).
// To add one: one line in COMMANDS below. Modules load lazily: `berth synth` must not
// pay for loading the Kubernetes client that deploy/verify need (~1 s on a cold start).
import * as nodeModule from 'node:module';
nodeModule.enableCompileCache?.();
import { Command } from 'commander';
import { version } from './version';

type CommandModule = { register(program: Command): void };
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  synth: () => import('./commands/synth'),
  deploy: () => import('./commands/deploy'),
  diff: () => import('./commands/diff'),
  destroy: () => import('./commands/destroy'),
  status: () => import('./commands/status'),
  verify: () => import('./commands/verify'),
  cluster: () => import('./commands/cluster'),
};

async function main(argv: string[]): Promise<void> {
  const program = new Command('berth')
    .description('Kubernetes infrastructure as code on cdk8s: synth typed apps to dist/, deploy them, verify they survive.')
    .version(version(), '-v, --version')
    .showHelpAfterError('(run `berth --help` for usage)');
  // Register only the named command when there is one; everything for help and unknown input.
  const named = argv[2] !== undefined && Object.hasOwn(COMMANDS, argv[2]) ? [argv[2]] : Object.keys(COMMANDS);
  for (const name of named) (await COMMANDS[name]()).register(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`berth: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
