import { Command } from 'commander';
import { EXIT } from '../exit-codes';
import { action, durationArg } from '../run';
import { targetOptions, TargetOpts } from '../target-options';

export function register(program: Command): void {
  targetOptions(program.command('status').description("Table of the app's objects in the cluster and their health"))
    .option('--json', 'print JSON')
    .option('--timeout <duration>', 'bound on the whole command', durationArg, '1m')
    .action(
      action('status', async (o: TargetOpts & { json?: boolean; timeout: string }) => {
        const { formatStatus, status } = await import('../../deploy');
        const res = await status(o);
        if (o.json) process.stdout.write(JSON.stringify(res, null, 2) + '\n');
        else process.stdout.write(res.map(formatStatus).join('\n\n') + '\n');
        return res.every((r) => r.healthy) ? EXIT.ok : EXIT.failed;
      }),
    );
}
