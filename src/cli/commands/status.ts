import { Command } from 'commander';
import { formatStatus, status } from '../../deploy';
import { fail, targetOptions, TargetOpts } from '../../deploy/cli-support';

export function register(program: Command): void {
  targetOptions(program.command('status').description("Table of the app's objects in the cluster and their health"))
    .option('--json', 'print JSON')
    .action(async (o: TargetOpts & { json?: boolean }) => {
      try {
        const res = await status(o);
        if (o.json) process.stdout.write(JSON.stringify(res, null, 2) + '\n');
        else process.stdout.write(res.map(formatStatus).join('\n\n') + '\n');
        if (!res.every((r) => r.healthy)) process.exitCode = 1;
      } catch (e) {
        fail(e);
      }
    });
}
