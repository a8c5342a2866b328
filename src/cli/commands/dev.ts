import { Command, Option } from 'commander';
import { IMAGE_SETS, ImageSet } from '../../synth/images';
import { targetOptions, TargetOpts } from '../target-options';
import { reportError } from '../exit-codes';
import { durationArg } from '../run';
import { projectRoot } from '../../synth/project';
import type { TypeCheck } from '../../synth/typecheck';
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
      const { watchProject, watchRun } = await import('../watch-synth');
      const { appSourceFiles } = await import('../../synth/load-app');
      const { listApps } = await import('../../synth/project');
      const { deploy } = await import('../../deploy');
      const apps = o.app ? [o.app] : undefined;
      const target = o.context ? `context ${o.context}` : 'the current context';
      const watchOpts = { root, apps, outDir: o.dist, images, next: `deploying to ${target}` };
      let check: TypeCheck | undefined;
      const log = (s: string) => process.stdout.write(`${s}\n`);
      const watch = await watchProject(
        root,
        (changed) =>
          devRun(
            {
              synth: async (c) => {
                const r = await watchRun(watchOpts, (tc) => (check = tc), c);
                for (const app of apps ?? listApps(`${root}/apps`)) watch.add(appSourceFiles(app, `${root}/apps`));
                return r;
              },
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
        () => check?.cancel(),
      );
      log(`berth dev: watching apps/ and constructs/, deploying to ${target} (Ctrl-C stops)`);
      watch.queue.runNow();
      await new Promise<void>((resolve) => {
        const stop = () => void watch.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
