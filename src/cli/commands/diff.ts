import { Command } from 'commander';
import { EXIT } from '../exit-codes';
import { action, durationArg } from '../run';
import { targetOptions, TargetOpts } from '../target-options';

export function register(program: Command): void {
  targetOptions(program.command('diff').description('Show what deploy would change (server-side dry-run apply), including prunes and replacements'))
    .option('--no-prune', 'do not show prunes')
    .option('--exit-code', 'exit 1 when there are changes (for CI)')
    .option('--timeout <duration>', 'bound on the whole command', durationArg, '2m')
    .action(
      action('diff', async (o: TargetOpts & { prune: boolean; exitCode?: boolean; timeout: string }) => {
        const { diff, formatDiffs } = await import('../../deploy');
        const res = await diff(o);
        let changes = false;
        for (const a of res) {
          const text = formatDiffs(a.diffs);
          if (text !== 'no changes') changes = true;
          process.stdout.write(`app ${a.app} against ${a.context}:\n${text}\n`);
        }
        return changes && o.exitCode ? EXIT.failed : EXIT.ok;
      }),
    );
}
