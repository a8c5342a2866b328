import { Command, Option } from 'commander';
import { IMAGE_SETS, IMAGES_ENV } from '../../../constructs/images';
import { DEFAULT_DIST_DIR } from '../../contract';
import { listApps, synth, SynthError } from '../../synth';

export function register(program: Command): void {
  program
    .command('synth')
    .description('Build apps/<name>/app.ts in-process, validate every object, write dist/<app>.k8s.yaml')
    .option('-a, --app <name...>', `apps to synthesize (default: all of ${listApps().join(', ') || 'apps/*'})`)
    .option('-o, --out <dir>', 'output directory', DEFAULT_DIST_DIR)
    .addOption(new Option('--images <set>', `image set for the example apps (sets ${IMAGES_ENV}; default: $${IMAGES_ENV} or upstream)`).choices(IMAGE_SETS))
    .addHelpText('after', `
Examples:
  berth synth                       all apps → dist/
  berth synth --app demo --images local
  ${IMAGES_ENV}=local npm run synth

Nothing is written when any problem is found; all problems are listed.`)
    .action((opts: { app?: string[]; out: string; images?: string }) => {
      if (opts.images) process.env[IMAGES_ENV] = opts.images;
      const started = process.hrtime.bigint();
      try {
        const files = synth({ apps: opts.app, outDir: opts.out });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        for (const f of files) process.stdout.write(`${f.app}: ${f.file} (${f.objects} objects, ${f.bytes} bytes)\n`);
        process.stdout.write(`synthesized ${files.length} app${files.length === 1 ? '' : 's'} (images: ${process.env[IMAGES_ENV] ?? 'upstream'}) in ${ms.toFixed(0)} ms\n`);
      } catch (e) {
        if (!(e instanceof SynthError)) throw e;
        process.stderr.write(`${e.message}\nnothing was written to ${opts.out}/\n`);
        process.exitCode = 1;
      }
    });
}
