import { Command } from 'commander';
import { diff, formatDiffs } from '../../deploy';
import { fail, targetOptions, TargetOpts } from '../../deploy/cli-support';

export function register(program: Command): void {
  targetOptions(program.command('diff').description('Show what deploy would change (server-side dry-run apply), including prunes'))
    .option('--no-prune', 'do not show prunes')
    .option('--exit-code', 'exit 2 when there are changes (for CI)')
    .action(async (o: TargetOpts & { prune: boolean; exitCode?: boolean }) => {
      try {
        const res = await diff(o);
        let changes = false;
        for (const a of res) {
          const text = formatDiffs(a.diffs);
          if (text !== 'no changes') changes = true;
          process.stdout.write(`app ${a.app} against ${a.context}:\n${text}\n`);
        }
        if (changes && o.exitCode) process.exitCode = 2;
      } catch (e) {
        fail(e);
      }
    });
}
