/**
 * The synth stage as the CLI runs it: type check (child process) and synth
 * (in-process) side by side, dist/ written only when both succeed; and
 * "re-synth if stale" before a deploy, so deploy itself reads dist/ only.
 * The image set is always an explicit input here.
 */
import * as path from 'node:path';
import type { ImageSet } from '../synth/images';
import { DIST_SUFFIX, listDistApps } from '../dist';
import { forgetDist, freshness, recordDist } from '../synth/dist-state';
import { SynthError } from '../synth/errors';
import { isInside, listApps } from '../synth/project';
import type { RenderedApp, SynthedFile } from '../synth/synth';
import { startAppsTypeCheck, TypeCheck } from '../synth/typecheck';
import { BerthError } from '../errors';

export interface CheckedSynthOptions {
  readonly root: string;
  readonly appsRoot?: string;
  /** App names; default every app under apps/. */
  readonly apps?: string[];
  readonly outDir: string;
  readonly images: ImageSet;
  /** @default true */
  readonly typeCheck?: boolean;
  /** Re-read app and project modules (watch mode). */
  readonly fresh?: boolean;
  /**
   * Watch mode: write the YAML as soon as synth succeeds, before the type check
   * has finished; `onWritten` reports it. The manifests count as fresh for
   * deploy only once the type check passed.
   */
  readonly writeEarly?: boolean;
  readonly onWritten?: (files: SynthedFile[], synthMs: number) => void;
  /** Receives the running type check, so a newer edit can cancel it. */
  readonly onTypeCheck?: (check: TypeCheck) => void;
  /** A type check the caller already started for these apps (the CLI starts it before loading cdk8s). */
  readonly started?: TypeCheck;
}

export interface CheckedSynthResult {
  /** Everything passed and `files` were written. */
  readonly ok: boolean;
  readonly files: SynthedFile[];
  /** Construct and app problems (`[path] message`). */
  readonly problems: string[];
  /** Type errors, `file:line:col - error TSnnnn: message`. */
  readonly typeErrors: string[];
  /** A newer run (a later save) cancelled this one's type check: nothing to report, dist/ is not recorded as fresh. */
  readonly cancelled: boolean;
  readonly synthMs: number;
  readonly typeCheckMs?: number;
}

export async function checkedSynth(o: CheckedSynthOptions): Promise<CheckedSynthResult> {
  const appsRoot = o.appsRoot ?? path.join(o.root, 'apps');
  const names = o.apps && o.apps.length > 0 ? o.apps : listApps(appsRoot);
  const check = o.started ?? startAppsTypeCheck(o.root, names, o.typeCheck !== false, appsRoot);
  if (check) o.onTypeCheck?.(check);
  const t0 = Date.now();
  // Loaded here, not at the top: checking whether dist/ is fresh must not pay for loading cdk8s.
  const { renderApps, writeRendered } = await import('../synth/synth');
  let rendered: RenderedApp[] = [];
  let problems: string[] = [];
  try {
    rendered = renderApps({ apps: names, appsRoot, images: o.images, fresh: o.fresh });
  } catch (e) {
    if (!(e instanceof SynthError)) {
      check?.cancel();
      throw e;
    }
    problems = e.problems;
  }
  const synthMs = Date.now() - t0;
  let files: SynthedFile[] = [];
  if (o.writeEarly && problems.length === 0) {
    files = writeRendered(rendered, o.outDir);
    // Not fresh for deploy until the types pass.
    forgetDist(
      o.root,
      files.map((f) => f.file),
    );
    o.onWritten?.(files, synthMs);
  }
  const types = check ? await check.result : undefined;
  const typeErrors = types?.errors ?? [];
  const cancelled = Boolean(types && !types.ok && typeErrors.length === 0);
  if (problems.length > 0 || typeErrors.length > 0 || cancelled) {
    return { ok: false, files, problems, typeErrors, cancelled, synthMs, typeCheckMs: types?.ms };
  }
  if (!o.writeEarly) files = writeRendered(rendered, o.outDir);
  recordDist(
    o.root,
    rendered.map((r, i) => ({ manifest: files[i].file, yaml: r.yaml, images: r.images, files: r.sources })),
  );
  return { ok: true, files, problems, typeErrors, cancelled, synthMs, typeCheckMs: types?.ms };
}

/** The result as the terminal shows it: problems and type errors (stderr), or what was written (stdout). */
export function describeResult(r: CheckedSynthResult, outDir: string, images: ImageSet): { out: string; err: string } {
  if (r.ok) {
    const lines = r.files.map((f) => `${f.app}: ${f.file} (${f.objects} objects, ${f.bytes} bytes)`);
    const checked = r.typeCheckMs === undefined ? 'types not checked' : `types checked in ${r.typeCheckMs} ms`;
    lines.push(`synthesized ${r.files.length} app${r.files.length === 1 ? '' : 's'} (images: ${images}) in ${r.synthMs} ms, ${checked}`);
    return { out: `${lines.join('\n')}\n`, err: '' };
  }
  const parts: string[] = [];
  if (r.typeErrors.length > 0) parts.push(`type errors (${r.typeErrors.length}):\n  ${r.typeErrors.join('\n  ').replace(/\n(?! {2})/g, '\n  ')}`);
  if (r.problems.length > 0) parts.push(new SynthError(r.problems).message);
  parts.push(
    r.files.length > 0 ? `${outDir}/ holds the YAML of this code; deploy re-synthesizes it once the errors are fixed` : `nothing was written to ${outDir}/`,
  );
  return { out: '', err: `${parts.join('\n')}\n` };
}

/** Re-synth before a deploy found type errors or synth problems: a user error, shown without a stack. */
export class StaleDistError extends BerthError {
  constructor(message: string) {
    super(message, 'failed');
    this.name = 'StaleDistError';
  }
}

export interface FreshDistOptions {
  /** The project the command runs in; undefined outside one (then dist/ is used as it is). */
  readonly root: string | undefined;
  readonly distDir: string;
  /** Only this app (default: the apps in distDir that have sources, else all apps). */
  readonly app?: string;
  /** Image set for re-synthesized apps (default: what each manifest was made with, else upstream). */
  readonly images?: ImageSet;
  readonly log?: (line: string) => void;
}

/**
 * Re-synthesize (type-checked) the apps whose manifest in distDir is missing or
 * no longer matches their sources, keeping each one's image set. Only a dist dir
 * inside the project is the project's to rewrite: one elsewhere (a CI artifact,
 * another checkout) and apps without sources here are used as they are.
 * Returns the re-synthesized apps; throws a StaleDistError listing the problems when synth fails.
 */
export async function ensureFreshDist(o: FreshDistOptions): Promise<string[]> {
  const { root } = o;
  if (root === undefined || !isInside(root, o.distDir)) return [];
  const appsRoot = path.join(root, 'apps');
  const known = listApps(appsRoot);
  const inDist = listDistApps(o.distDir);
  const candidates = (o.app ? [o.app] : inDist.length ? inDist : known).filter((a) => known.includes(a));
  const byImages = new Map<ImageSet, { app: string; reason: string }[]>();
  for (const app of candidates) {
    const f = freshness(root, path.join(o.distDir, `${app}${DIST_SUFFIX}`));
    if (!f.stale) continue;
    const images = o.images ?? f.images ?? 'upstream';
    byImages.set(images, [...(byImages.get(images) ?? []), { app, reason: f.reason }]);
  }
  const done: string[] = [];
  for (const [images, apps] of byImages) {
    const r = await checkedSynth({ root, apps: apps.map((a) => a.app), outDir: o.distDir, images });
    if (!r.ok)
      throw new StaleDistError(
        `re-synth of ${apps.map((a) => a.app).join(', ')} failed, nothing deployed:\n${describeResult(r, o.distDir, images).err.trimEnd()}`,
      );
    (o.log ?? ((s) => process.stdout.write(`${s}\n`)))(`re-synthesized ${apps.map((a) => `${a.app} (${a.reason})`).join(', ')}; images: ${images}`);
    done.push(...apps.map((a) => a.app));
  }
  return done;
}
