/**
 * Re-synthesize before deploying when the app definition changed after
 * dist/ was written, so `berth deploy` never ships stale manifests.
 * Only for apps berth can build (apps/<name>); other dist dirs are used as is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST_SUFFIX } from './manifest';

const IMAGES_ENV = 'BERTH_IMAGES';

/** Newest mtime (ms) of files under `dir` matching `ext` (0 when none). */
function newestMtime(dir: string, exts: string[]): number {
  let newest = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      newest = Math.max(newest, newestMtime(p, exts));
    } else if (exts.some((x) => e.name.endsWith(x))) {
      newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  }
  return newest;
}

export interface Staleness {
  app: string;
  stale: boolean;
  /** Sources (.ts) are newer than the compiled JS synth would load: a build is needed first. */
  needsBuild: boolean;
}

/** Compare dist/<app>.k8s.yaml with the compiled app + constructs (and their .ts sources). */
export function staleness(app: string, distDir: string, appsRoot: string): Staleness {
  const compiledRoot = path.resolve(appsRoot, '..'); // lib/ (or the project root under ts-jest/swc)
  const projectRoot = path.basename(compiledRoot) === 'lib' ? path.resolve(compiledRoot, '..') : compiledRoot;
  const distFile = path.join(distDir, `${app}${DIST_SUFFIX}`);
  const distTime = fs.existsSync(distFile) ? fs.statSync(distFile).mtimeMs : 0;
  const compiled = Math.max(newestMtime(path.join(appsRoot, app), ['.js', '.ts']), newestMtime(path.join(compiledRoot, 'constructs'), ['.js', '.ts']));
  const sources = Math.max(newestMtime(path.join(projectRoot, 'apps', app), ['.ts']), newestMtime(path.join(projectRoot, 'constructs'), ['.ts']));
  return { app, stale: distTime === 0 || compiled > distTime || sources > distTime, needsBuild: sources > compiled + 1 };
}

/** Image set an existing manifest was synthesized with, so a re-synth does not silently switch it. */
export function imageSetOf(distFile: string): 'local' | undefined {
  try {
    return /image: "?berth\.local\//.test(fs.readFileSync(distFile, 'utf8')) ? 'local' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Re-synthesize stale apps (all apps of `distDir` that berth knows, or `app`).
 * Returns the apps that were re-synthesized. Throws when sources are newer
 * than the compiled JS (run `npm run build`; `npm run deploy` does it).
 */
export async function ensureFreshDist(distDir: string, app?: string, log: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loadApp = require('../synth/load-app') as typeof import('../synth/load-app');
  const known = loadApp.listApps();
  const inDist = fs.existsSync(distDir) ? fs.readdirSync(distDir).filter((f) => f.endsWith(DIST_SUFFIX)).map((f) => f.slice(0, -DIST_SUFFIX.length)) : [];
  const candidates = (app ? [app] : inDist.length ? inDist : known).filter((a) => known.includes(a));
  const stale = candidates.map((a) => staleness(a, distDir, loadApp.APPS_ROOT)).filter((s) => s.stale);
  if (stale.length === 0) return [];
  const needBuild = stale.filter((s) => s.needsBuild);
  if (needBuild.length > 0) {
    throw new Error(
      `apps ${needBuild.map((s) => s.app).join(', ')}: TypeScript sources are newer than the compiled JS and than ${distDir}/; ` +
        `run npm run build (npm run deploy builds first), then deploy again`,
    );
  }
  const previous = stale.map((s) => imageSetOf(path.join(distDir, `${s.app}${DIST_SUFFIX}`))).find((x) => x);
  const restore = process.env[IMAGES_ENV];
  if (!restore && previous) process.env[IMAGES_ENV] = previous;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synth } = require('../synth') as typeof import('../synth');
    const files = synth({ apps: stale.map((s) => s.app), outDir: distDir });
    log(`re-synthesized ${files.map((f) => f.app).join(', ')} (app sources newer than ${distDir}/; images: ${process.env[IMAGES_ENV] ?? 'upstream'})`);
    return files.map((f) => f.app);
  } finally {
    if (restore === undefined) delete process.env[IMAGES_ENV];
  }
}
