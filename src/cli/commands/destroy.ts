import { Command } from 'commander';
import { destroy } from '../../deploy';
import { fail, targetOptions, TargetOpts } from '../../deploy/cli-support';

export function register(program: Command): void {
  targetOptions(program.command('destroy').description("Delete the app's objects (label berth.dev/app) from the cluster"))
    .option('--keep-data', 'keep PersistentVolumeClaims, Secrets and Namespaces (data and credentials survive a redeploy)')
    .option('--no-wait', 'do not wait until the objects are gone')
    .option('--timeout <duration>', 'how long to wait for deletion', '5m')
    .action(async (o: TargetOpts & { keepData?: boolean; wait: boolean; timeout: string }) => {
      try {
        await destroy(o);
      } catch (e) {
        fail(e);
      }
    });
}
