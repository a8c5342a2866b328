import { Command, Option } from 'commander';
import { IMAGE_SETS, ImageSet } from '../../synth/images';
import { targetOptions, TargetOpts } from '../target-options';
import { reportError } from '../exit-codes';
import { durationArg } from '../run';
import { projectRoot } from '../../synth/project';
import { devRun } from '../dev-loop';
import { imagesOrReport } from './synth';

type DevOpts = TargetOpts & { images?: ImageSet; timeout: string; createNamespace?: boolean; progress: 'auto' | 'live' | 'plain' };

export function register(program: Command): void {
  targetOptions(
    program.command('dev').description('Watch the apps: on every save synthesize (type-checked) and deploy to the current context, with live status'),
  )
    .addOption(new Option('--images <set>', 'image set for the example apps (default: $BERTH_IMAGES or upstream)').choices(IMAGE_SETS))
    .option('--timeout <duration>', 'bound on each deploy: apply, prune and waiting for readiness (e.g. 90s, 5m)', durationArg, '5m')
    .option('--create-namespace', 'create the target namespace when it does not exist')
    .addOption(new Option('--progress <mode>', 'deploy progress display').choices(['auto', 'live', 'plain']).default('auto'))
    .addHelpText(
      'after',
      `
Examples:
  berth dev --app demo                            current kubeconfig context
  berth dev --app demo --context kind-berth --images upstream

A save while a deploy runs queues exactly one more synth+deploy, which then
sees every change. Type errors or synth problems are shown and nothing is
deployed until they are fixed. Ctrl-C stops (a deploy in progress is left as it is).`,
    )
    .action(async (o: DevOpts) => {
      const images = imagesOrReport('dev', o.images);
      if (!images) return;
      const root = projectRoot();
      const { runWatching } = await import('../watch-synth');
      const { deploy } = await import('../../deploy');
      const target = o.context ? `context ${o.context}` : 'the current context';
      const log = (s: string) => process.stdout.write(`${s}\n`);
      const watchOpts = { root, apps: o.app ? [o.app] : undefined, outDir: o.dist, images, next: `deploying to ${target}` };
      await runWatching(
        watchOpts,
        (synth, changed) =>
          devRun(
            {
              synth,
              deploy: async () => {
                await deploy({ ...o, wait: true });
              },
              log,
              deployFailed: (e) => {
                reportError(e, 'dev');
                process.exitCode = 0; // the loop goes on; the error was shown
              },
            },
            changed,
          ).then(() => undefined),
        `berth dev: watching apps/ and constructs/, deploying to ${target} (Ctrl-C stops)`,
      );
    });
}
