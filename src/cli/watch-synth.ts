/**
 * `berth synth --watch` and the watching half of `berth dev`. Watches the
 * apps, constructs/ and every other project directory an app imports from
 * (chokidar: editors' save-by-rename, duplicate events and new directories
 * are its job), and runs one job per burst of saves through a RunQueue.
 * cdk8s and the other packages stay loaded between runs; only the project's
 * own modules are read again, so a run is mostly the app's own build.
 */
import * as path from 'node:path';
import type { ImageSet } from '../synth/images';
import { appSourceFiles } from '../synth/load-app';
import { listApps } from '../synth/project';
import type { TypeCheck } from '../synth/typecheck';
import { checkedSynth, CheckedSynthResult, describeResult } from './pipeline';
import { RunQueue } from './run-queue';

// Editors write a file in one or two events within a few ms; 20 ms joins them without being felt.
const DEBOUNCE_MS = 20;
const RELEVANT = /(\.ts|[/\\]tsconfig\.json|[/\\]package-lock\.json)$/;

export interface WatchOptions {
  readonly root: string;
  readonly apps?: string[];
  readonly outDir: string;
  readonly images: ImageSet;
  readonly typeCheck?: boolean;
  readonly write?: (s: string) => void;
  readonly writeErr?: (s: string) => void;
  /** What happens after a run that passed (dev: deploying). @default 'watching for changes' */
  readonly next?: string;
}

export interface ProjectWatch {
  readonly queue: RunQueue;
  /** Also watch these files' directories (what the apps import). */
  add(files: string[]): void;
  close(): Promise<void>;
}

const stamp = () => new Date().toTimeString().slice(0, 8);

/** Watch the project's sources and run `job` after each burst of changes (and once at start). */
export async function watchProject(root: string, job: (changed: string[]) => Promise<void>, onSupersede: () => void): Promise<ProjectWatch> {
  const chokidar = await import('chokidar');
  const changed = new Set<string>();
  const queue = new RunQueue(
    async () => {
      const files = [...changed];
      changed.clear();
      await job(files);
    },
    DEBOUNCE_MS,
    onSupersede,
  );
  const watched = new Set([path.join(root, 'apps'), path.join(root, 'constructs'), path.join(root, 'tsconfig.json'), path.join(root, 'package-lock.json')]);
  const watcher = chokidar.watch([...watched], {
    ignoreInitial: true,
    ignored: (p: string) => p.includes(`${path.sep}node_modules${path.sep}`) || p.endsWith(`${path.sep}node_modules`),
  });
  const onEvent = (p: string) => {
    if (!RELEVANT.test(p)) return;
    changed.add(p);
    queue.trigger();
  };
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    queue,
    add(files) {
      for (const dir of new Set(files.map((f) => path.dirname(f)))) {
        if ([...watched].some((w) => dir === w || dir.startsWith(w + path.sep))) continue;
        watched.add(dir);
        watcher.add(dir);
      }
    },
    close: () => watcher.close(),
  };
}

/** One watch-mode synth run, reported as it goes: YAML first, type errors when the checker has them. */
export async function watchRun(o: WatchOptions, onTypeCheck: (c: TypeCheck) => void, changed: string[]): Promise<CheckedSynthResult> {
  const write = o.write ?? ((s) => process.stdout.write(s));
  const writeErr = o.writeErr ?? ((s) => process.stderr.write(s));
  const what = changed.length === 0 ? 'start' : changed.map((f) => path.relative(o.root, f)).join(', ');
  const r = await checkedSynth({
    root: o.root,
    apps: o.apps,
    outDir: o.outDir,
    images: o.images,
    typeCheck: o.typeCheck,
    fresh: true,
    writeEarly: true,
    onTypeCheck,
    onWritten: (files, ms) =>
      write(`[${stamp()}] ${what}: wrote ${files.map((f) => f.file).join(', ')} in ${ms} ms${o.typeCheck === false ? '' : '; checking types…'}\n`),
  });
  if (r.cancelled) return r;
  if (r.ok) write(`[${stamp()}] ${r.typeCheckMs === undefined ? 'done' : `types ok (${r.typeCheckMs} ms)`}; ${o.next ?? 'watching for changes'}\n`);
  else writeErr(`[${stamp()}] ${describeResult(r, o.outDir, o.images).err}`);
  return r;
}

/** One synth run inside a watch loop, for the files that changed (none: the first run). */
export type WatchedSynth = (changed: string[]) => Promise<CheckedSynthResult>;

/**
 * Watch the project and, once at start and after each burst of saves, run `job` with a synth for
 * it to call; until Ctrl-C. Each synth widens the watch to whatever else the apps import (a shared
 * directory outside apps/ and constructs/). `berth synth --watch` and `berth dev` differ only in `job`.
 */
export async function runWatching(o: WatchOptions, job: (synth: WatchedSynth, changed: string[]) => Promise<void>, banner: string): Promise<void> {
  let check: TypeCheck | undefined;
  const appsRoot = path.join(o.root, 'apps');
  const watch = await watchProject(
    o.root,
    (changed) =>
      job(async (c) => {
        const r = await watchRun(o, (tc) => (check = tc), c);
        for (const app of o.apps?.length ? o.apps : listApps(appsRoot)) watch.add(appSourceFiles(app, appsRoot));
        return r;
      }, changed),
    () => check?.cancel(),
  );
  (o.write ?? ((s) => process.stdout.write(s)))(`${banner}\n`);
  watch.queue.runNow();
  await new Promise<void>((resolve) => {
    const stop = () => {
      void watch.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** `berth synth --watch`: runs until interrupted. */
export function watchSynth(o: WatchOptions): Promise<void> {
  const appsRoot = path.join(o.root, 'apps');
  return runWatching(
    o,
    async (synth, changed) => {
      await synth(changed);
    },
    `watching ${path.relative(process.cwd(), appsRoot) || '.'}/ and constructs/ (Ctrl-C stops)`,
  );
}
