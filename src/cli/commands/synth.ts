import { Command, Option } from 'commander';
import { IMAGE_SETS, IMAGES_ENV, ImageSet, imageSet } from '../../synth/images';
import { DEFAULT_DIST_DIR } from '../../contract';
import { listApps, projectRoot } from '../../synth/project';
import { startAppsTypeCheck } from '../../synth/typecheck';
import { EXIT } from '../exit-codes';

interface SynthOpts {
  app?: string[];
  out: string;
  images?: ImageSet;
  typeCheck: boolean;
  watch?: boolean;
}

/** --images, else $BERTH_IMAGES, else upstream; a bad $BERTH_IMAGES is a user error (no stack). */
export function chosenImages(flag: ImageSet | undefined, env: NodeJS.ProcessEnv = process.env): ImageSet {
  return flag ?? imageSet(env);
}

/** chosenImages for `berth <command>`; on a bad $BERTH_IMAGES prints why, exits 2 (a usage error, like a bad --images) and returns undefined. */
export function imagesOrReport(command: string, flag: ImageSet | undefined): ImageSet | undefined {
  try {
    return chosenImages(flag);
  } catch (e) {
    process.stderr.write(`berth ${command}: ${(e as Error).message}\n`);
    process.exitCode = EXIT.usage;
    return undefined;
  }
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('Type-check and synthesize apps/<name>/app.ts, validate every object, write dist/<app>.k8s.yaml')
    .option('-a, --app <name...>', `apps to synthesize (default: all of ${listApps().join(', ') || 'apps/*'})`)
    .option('-o, --out <dir>', 'output directory (default: $CDK8S_OUTDIR when cdk8s runs berth, else dist)', process.env.CDK8S_OUTDIR || DEFAULT_DIST_DIR)
    .addOption(new Option('--images <set>', `image set for the example apps (default: $${IMAGES_ENV} or upstream)`).choices(IMAGE_SETS))
    .option('--no-type-check', 'do not type-check the apps (faster; type errors then go unnoticed)')
    .option('-w, --watch', 'keep running: synthesize again on every saved change, show type errors as they appear')
    .addHelpText(
      'after',
      `
Examples:
  berth synth                       all apps → dist/
  berth synth --app demo --images local
  berth synth --watch               rewrite dist/ on every save
  ${IMAGES_ENV}=local npm run synth

The apps' TypeScript is type-checked (like tsc: file:line:col) in parallel with
synth. Nothing is written when any type error or problem is found; all are listed.`,
    )
    .action(async (opts: SynthOpts) => {
      const images = imagesOrReport('synth', opts.images);
      if (!images) return;
      const root = projectRoot();
      if (opts.watch) {
        const { watchSynth } = await import('../watch-synth');
        await watchSynth({ root, apps: opts.app, outDir: opts.out, images, typeCheck: opts.typeCheck });
        return;
      }
      // The type checker starts first, so it runs while this process loads cdk8s and the apps.
      const started = startAppsTypeCheck(root, opts.app, opts.typeCheck);
      const { checkedSynth, describeResult } = await import('../pipeline');
      const r = await checkedSynth({ root, apps: opts.app, outDir: opts.out, images, typeCheck: opts.typeCheck, started });
      const { out, err } = describeResult(r, opts.out, images);
      process.stdout.write(out);
      process.stderr.write(err);
      if (!r.ok) process.exitCode = 1;
    });
}
