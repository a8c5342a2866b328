import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { BerthChart } from '../../constructs/chart';
import { ImageSet, imageSet } from './images';
import { DEFAULT_DIST_DIR } from '../contract';
import { SynthError } from './errors';
import { AppModule, appSourceFiles, loadApp } from './load-app';
import { defaultAppsRoot, listApps } from './project';
import { stringifyManifests } from './yaml';

export interface SynthOptions {
  /** App names; default all apps under apps/. */
  readonly apps?: string[];
  /** @default 'dist' */
  readonly outDir?: string;
  /** Load app modules from here instead of apps/ (tests). */
  readonly appsRoot?: string;
  /** Image set handed to every app's build(). The CLI always sets it; default: $BERTH_IMAGES, else upstream. */
  readonly images?: ImageSet;
  /** Re-read the apps and the project modules they import (watch mode). */
  readonly fresh?: boolean;
}

export interface SynthedFile {
  readonly app: string;
  readonly file: string;
  readonly objects: number;
  readonly bytes: number;
}

/** A rendered app, not yet written. */
export interface RenderedApp {
  readonly app: string;
  readonly fileName: string;
  readonly yaml: string;
  readonly objects: number;
  readonly images: ImageSet;
  /** Project source files the app's build read (for the stale-dist check). */
  readonly sources: string[];
}

/**
 * Build an app in-process and render its manifests. Runs every construct's
 * validation (props, whole-app checks, Kubernetes schema) and throws one
 * SynthError listing all problems.
 */
export function renderApp(name: string, mod: AppModule, requested?: ImageSet, sources: string[] = []): RenderedApp[] {
  const app = new App({ outdir: path.join('.cdk8s-unused') });
  let chart: Chart;
  let images: ImageSet;
  try {
    images = requested ?? imageSet();
    chart = mod.build(app, images);
  } catch (e) {
    if (e instanceof SynthError) throw e;
    throw new SynthError([`apps/${name}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  const problems: string[] = [];
  for (const c of app.node.findAll()) {
    for (const msg of c.node.validate()) problems.push(`[${c.node.path}] ${msg}`);
  }
  if (problems.length > 0) throw new SynthError(problems);
  const charts = app.charts;
  if (charts.length === 0 || !charts.includes(chart)) {
    throw new SynthError([`apps/${name}: build() must create its chart in the given App and return it`]);
  }
  return charts.map((c) => {
    // Same objects and order as Chart.toJson(), without validating the app a second time.
    const docs = BerthChart.isBerthChart(c) ? c.renderObjects().map((r) => r.doc) : c.toJson();
    // Same bytes as cdk8s' Yaml.stringify (so `cdk8s synth` agrees), several times faster.
    return { app: name, fileName: `${c.node.id}.k8s.yaml`, yaml: stringifyManifests(docs), objects: docs.length, images, sources };
  });
}

/** Render every requested app; throws one SynthError with the problems of all of them. Writes nothing. */
export function renderApps(options: SynthOptions = {}): RenderedApp[] {
  const appsRoot = options.appsRoot ?? defaultAppsRoot();
  const names = options.apps && options.apps.length > 0 ? options.apps : listApps(appsRoot);
  const rendered: RenderedApp[] = [];
  const problems: string[] = [];
  names.forEach((name, i) => {
    try {
      const mod = loadApp(name, appsRoot, { fresh: options.fresh && i === 0 });
      rendered.push(...renderApp(name, mod, options.images, appSourceFiles(name, appsRoot)));
    } catch (e) {
      if (e instanceof SynthError) problems.push(...e.problems);
      else throw e;
    }
  });
  const byFile = new Map<string, string>();
  for (const r of rendered) {
    if (byFile.has(r.fileName)) problems.push(`apps ${byFile.get(r.fileName)} and ${r.app} both write ${r.fileName}: chart ids (app names) must be unique`);
    byFile.set(r.fileName, r.app);
  }
  if (problems.length > 0) throw new SynthError(problems);
  return rendered;
}

/** Write rendered apps to `<outDir>/<chart>.k8s.yaml`, each via a temp file and a rename. */
export function writeRendered(rendered: RenderedApp[], outDir: string = DEFAULT_DIST_DIR): SynthedFile[] {
  fs.mkdirSync(outDir, { recursive: true });
  return rendered.map((r) => {
    const file = path.join(outDir, r.fileName);
    const tmp = path.join(outDir, `.${r.fileName}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, r.yaml);
    fs.renameSync(tmp, file);
    return { app: r.app, file, objects: r.objects, bytes: Buffer.byteLength(r.yaml) };
  });
}

/**
 * Synthesize apps into `<outDir>/<chart>.k8s.yaml`. All apps are rendered and
 * validated first; only then is anything written, each file via a temp file
 * and a rename, so an error never leaves a partial or half-written dist/.
 */
export function synth(options: SynthOptions = {}): SynthedFile[] {
  return writeRendered(renderApps(options), options.outDir ?? DEFAULT_DIST_DIR);
}
