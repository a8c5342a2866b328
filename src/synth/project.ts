/**
 * Where a berth project's apps are: `apps/<name>/app.ts` under the project
 * root, the nearest directory at or above the working directory that has a
 * package.json (else berth's own checkout). Only TypeScript sources count,
 * so a deleted or renamed app is never found through leftover compiled files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** berth's own checkout (this file is src/synth/project.ts, or lib/src/synth/project.js when compiled). */
export const BERTH_ROOT =
  findUp(__dirname, (d) => fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'bin', 'ts-hook.js'))) ?? path.resolve(__dirname, '../..');

function findUp(from: string, test: (dir: string) => boolean): string | undefined {
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    if (test(d)) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The berth project `cwd` is in: the nearest directory at or above it with a package.json and apps/; undefined outside one. */
export function findProject(cwd = process.cwd()): string | undefined {
  return findUp(cwd, (d) => fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'apps')));
}

/** The project the CLI works on: the one `cwd` is in, else berth's checkout (its example apps). */
export function projectRoot(cwd = process.cwd()): string {
  return findProject(cwd) ?? BERTH_ROOT;
}

/** True when `file` lies inside directory `dir`. */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

export function defaultAppsRoot(cwd = process.cwd()): string {
  return path.join(projectRoot(cwd), 'apps');
}

/** The app module synth loads: apps/<name>/app.ts. */
export function appEntry(name: string, appsRoot = defaultAppsRoot()): string {
  return path.join(appsRoot, name, 'app.ts');
}

/** Names of the apps under `appsRoot` that have an app.ts, sorted. */
export function listApps(appsRoot = defaultAppsRoot()): string[] {
  if (!fs.existsSync(appsRoot)) return [];
  return fs
    .readdirSync(appsRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(appEntry(d.name, appsRoot)))
    .map((d) => d.name)
    .sort();
}
