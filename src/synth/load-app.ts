import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App, Chart } from 'cdk8s';
import type { ImageSet } from './images';
import { SynthError } from './errors';
import { appEntry, BERTH_ROOT, defaultAppsRoot, listApps } from './project';

/** What an `apps/<name>/app.ts` module exports. Synth always passes the image set it was asked for. */
export interface AppModule {
  build(app: App, images?: ImageSet): Chart;
}

export interface LoadOptions {
  /** Load the app and everything of the project it imports anew (watch mode: after an edit). */
  readonly fresh?: boolean;
}

/** Make require() load .ts through berth's content-addressed transpile cache (bin/ts-hook.js). */
export function registerTsHook(): void {
  // Under jest, modules load through jest's own transform; require.extensions is Node's.
  if (require.extensions) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(path.join(BERTH_ROOT, 'bin', 'ts-hook.js')) as { register(): void }).register();
  }
}

/**
 * Forget the project's own modules (apps, constructs, anything outside src/,
 * bin/ and node_modules), so the next require reads them as they are now.
 * cdk8s and other packages stay loaded: that is what makes watch mode fast.
 */
export function forgetProjectModules(root: string): number {
  const keep = ['node_modules', 'src', 'bin'].map((d) => path.join(root, d) + path.sep);
  let n = 0;
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(root + path.sep) && !keep.some((k) => file.startsWith(k))) {
      delete require.cache[file];
      n++;
    }
  }
  return n;
}

export function loadApp(name: string, appsRoot = defaultAppsRoot(), options: LoadOptions = {}): AppModule {
  const known = listApps(appsRoot);
  if (!known.includes(name)) {
    throw new SynthError([`unknown app ${JSON.stringify(name)}: apps are ${known.join(', ') || '(none: add apps/<name>/app.ts)'}`]);
  }
  registerTsHook();
  if (options.fresh) forgetProjectModules(path.dirname(appsRoot));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(appEntry(name, appsRoot));
  if (typeof mod.build !== 'function') {
    throw new SynthError([`apps/${name}/app.ts must export \`function build(app: App, images: ImageSet): Chart\``]);
  }
  return mod as AppModule;
}

/**
 * The project files an app's build read: its module and, recursively, every
 * module of the project it imports (packages excluded). Falls back to the
 * app's directory and constructs/ where Node's module graph is not visible (jest).
 */
export function appSourceFiles(name: string, appsRoot = defaultAppsRoot()): string[] {
  const root = path.dirname(appsRoot);
  const entry = require.cache?.[appEntry(name, appsRoot)];
  if (!entry) return [...tsFilesUnder(path.join(appsRoot, name)), ...tsFilesUnder(path.join(root, 'constructs'))].sort();
  const seen = new Set<string>();
  const visit = (m: NodeJS.Module) => {
    if (seen.has(m.filename) || !m.filename.startsWith(root + path.sep) || m.filename.includes(`${path.sep}node_modules${path.sep}`)) return;
    seen.add(m.filename);
    for (const c of m.children) visit(c);
  };
  visit(entry);
  return [...seen].sort();
}

function tsFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}
