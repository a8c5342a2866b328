import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App, Chart } from 'cdk8s';
import { SynthError } from './errors';

/** What an `apps/<name>/app.ts` module exports. */
export interface AppModule {
  build(app: App): Chart;
}

/** Compiled apps live next to this module's tree: lib/src/synth → lib/apps (or src/synth → apps under jest). */
export const APPS_ROOT = path.resolve(__dirname, '../../apps');

/** Names of the apps under apps/ that have an app module. */
export function listApps(root = APPS_ROOT): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && ['app.js', 'app.ts'].some((f) => fs.existsSync(path.join(root, d.name, f))))
    .map((d) => d.name)
    .sort();
}

export function loadApp(name: string, root = APPS_ROOT): AppModule {
  const known = listApps(root);
  if (!known.includes(name)) {
    throw new SynthError([`unknown app ${JSON.stringify(name)}: apps are ${known.join(', ') || '(none; run `npm run build`)'}`]);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(root, name, 'app'));
  if (typeof mod.build !== 'function') {
    throw new SynthError([`apps/${name}/app.ts must export \`function build(app: App): Chart\``]);
  }
  return mod as AppModule;
}
