import { Command } from 'commander';
import { confirmDestroy, terminalIO } from '../confirm';
import { action, durationArg, onInterrupt } from '../run';
import { targetOptions, TargetOpts } from '../target-options';

export function register(program: Command): void {
  targetOptions(program.command('destroy').description("Delete the app's objects (label berth.dev/app) from the cluster, after showing them and asking"))
    .option('--keep-data', 'keep PersistentVolumeClaims, Secrets and Namespaces (data and credentials survive a redeploy)')
    .option('-y, --yes', 'do not ask: delete what is listed (needed when stdin is not a terminal)')
    .option('--no-wait', 'do not wait until the objects are gone')
    .option('--timeout <duration>', 'bound on the whole command (e.g. 90s, 5m)', durationArg, '5m')
    .addHelpText(
      'after',
      `
destroy first lists what it will delete for every app it acts on (without --app:
every app in --dist), with PersistentVolumeClaims (data) and Secrets (credentials)
on lines of their own, then asks. Without a terminal it refuses unless --yes is given.`,
    )
    .action(
      action('destroy', async (o: TargetOpts & { keepData?: boolean; yes?: boolean; wait: boolean; timeout: string }) => {
        const { destroy } = await import('../../deploy');
        const done = onInterrupt('destroy', 'berth destroy');
        try {
          await destroy({ ...o, confirm: (plans) => confirmDestroy(plans, Boolean(o.yes), terminalIO()) });
        } finally {
          done();
        }
      }),
    );
}
