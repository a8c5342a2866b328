#!/usr/bin/env -S node --max-semi-space-size=2
// Users run bin/berth.js (the package's bin, same flag), which loads this file from source.
// First import: the Node version check, before anything that could fail on an old Node.
import './node-check';
// berth CLI: each subcommand lives in ./commands/<name>.ts and exports register(program).
// To add one: one line in COMMANDS below. Modules load lazily: `berth synth` must not
// pay for loading the Kubernetes client that deploy/verify need (slow on a cold start).
import * as nodeModule from 'node:module';
nodeModule.enableCompileCache?.();
import { Command, CommanderError } from 'commander';
import { EXIT, reportError } from './exit-codes';
import { version } from './version';

type CommandModule = { register(program: Command): void };
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  synth: () => import('./commands/synth'),
  dev: () => import('./commands/dev'),
  deploy: () => import('./commands/deploy'),
  diff: () => import('./commands/diff'),
  destroy: () => import('./commands/destroy'),
  status: () => import('./commands/status'),
  verify: () => import('./commands/verify'),
  cluster: () => import('./commands/cluster'),
  diagram: () => import('./commands/diagram'),
};

async function main(argv: string[]): Promise<void> {
  const program = new Command('berth')
    .description('Kubernetes infrastructure as code on cdk8s: synth typed apps to dist/, deploy them, verify they survive.')
    .version(version(), '-v, --version')
    .showHelpAfterError('(run `berth --help` for usage)')
    // Usage errors (unknown option, bad value) exit 2 like every other input error, not commander's 1.
    .exitOverride();
  // Register only the named command when there is one; everything for help and unknown input.
  const named = argv[2] !== undefined && Object.hasOwn(COMMANDS, argv[2]) ? [argv[2]] : Object.keys(COMMANDS);
  for (const name of named) (await COMMANDS[name]()).register(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) {
    // commander printed the message already; help and --version end with 0.
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return;
  }
  reportError(e);
});
