#!/usr/bin/env node
// berth CLI: each subcommand lives in ./commands/<name>.ts and exports register(program).
// To add one: one import line + one register line below.
import { Command } from 'commander';
import { version } from './version';
import * as synth from './commands/synth';
import * as verify from './commands/verify';
import * as deploy from './commands/deploy';
import * as diff from './commands/diff';
import * as destroy from './commands/destroy';
import * as status from './commands/status';
import * as cluster from './commands/cluster';

const program = new Command('berth')
  .description('Kubernetes infrastructure as code on cdk8s: synth typed apps to dist/, deploy them, verify they survive.')
  .version(version(), '-v, --version')
  .showHelpAfterError('(run `berth --help` for usage)');

synth.register(program);
verify.register(program);
deploy.register(program);
diff.register(program);
destroy.register(program);
status.register(program);
cluster.register(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`berth: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
