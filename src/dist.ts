/**
 * Reading dist/: one `<app>.k8s.yaml` per app, multi-document YAML.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { APP_LABEL, DEFAULT_DIST_DIR } from './contract';
import type { KObject } from './kube/types';
import { BerthError } from './errors';

export const DIST_SUFFIX = '.k8s.yaml';

export interface DistApp {
  app: string;
  file: string;
  objects: KObject[];
}

/** A problem with dist/ content: message names the file, document and value. */
export class ManifestError extends BerthError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'ManifestError';
  }
}

/**
 * The apps a command acts on: `app` when given, else every app in dist/.
 * `none` is the message when there is neither.
 */
export function appNames(dir: string, app: string | undefined, none: string): string[] {
  const apps = app ? [app] : listDistApps(dir);
  if (apps.length === 0) throw new ManifestError(none);
  return apps;
}

/**
 * An app's dist objects, or [] when dist/ no longer has them: destroy and
 * status also work from the app label alone.
 */
export function distObjectsIfAny(dir: string, app: string): KObject[] {
  try {
    return readDist(dir, app)[0].objects;
  } catch {
    return [];
  }
}

/** App names present in a dist dir (sorted). */
export function listDistApps(dir: string = DEFAULT_DIST_DIR): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(DIST_SUFFIX))
    .map((n) => n.slice(0, -DIST_SUFFIX.length))
    .sort();
}

/** The Kubernetes objects of a multi-document YAML text, empty documents dropped; `source` names it in messages. */
export function parseObjects(text: string, source: string): KObject[] {
  const objects: KObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new ManifestError(`${source}: document ${i + 1} is not valid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    const obj = value as Partial<KObject>;
    const where = `${source}: document ${i + 1}`;
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new ManifestError(`${where} is not a Kubernetes object`);
    if (typeof obj.apiVersion !== 'string' || !obj.apiVersion) throw new ManifestError(`${where} has no apiVersion`);
    if (typeof obj.kind !== 'string' || !obj.kind) throw new ManifestError(`${where} has no kind`);
    if (!obj.metadata || typeof obj.metadata.name !== 'string' || !obj.metadata.name) {
      throw new ManifestError(`${where} (${obj.kind}) has no metadata.name`);
    }
    objects.push(obj as KObject);
  });
  return objects;
}

/** Parse one app's manifest file: its objects, each labelled for this app or not at all; `file` is only used in messages. */
export function parseManifest(text: string, file: string, app: string): KObject[] {
  const objects = parseObjects(text, file);
  for (const obj of objects) {
    const label = obj.metadata.labels?.[APP_LABEL];
    if (label !== undefined && label !== app) {
      throw new ManifestError(
        `${file}: ${obj.kind} ${obj.metadata.name} has label ${APP_LABEL}=${label} but lives in the manifest of app "${app}"; ` +
          `re-synthesize (berth synth) or fix the label`,
      );
    }
  }
  return objects;
}

/**
 * Read dist/<app>.k8s.yaml for one app, or all apps in `dir`.
 * Throws ManifestError with what to do when nothing is there.
 */
export function readDist(dir: string = DEFAULT_DIST_DIR, app?: string): DistApp[] {
  const apps = app ? [app] : listDistApps(dir);
  if (apps.length === 0) {
    throw new ManifestError(`no manifests (*${DIST_SUFFIX}) in ${path.resolve(dir)}; run berth synth first (npm run synth)`);
  }
  return apps.map((name) => {
    const file = path.join(dir, `${name}${DIST_SUFFIX}`);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      const known = listDistApps(dir);
      throw new ManifestError(
        `no manifest for app "${name}" at ${file}` + (known.length ? ` (apps in ${dir}: ${known.join(', ')})` : '; run berth synth first'),
      );
    }
    return { app: name, file, objects: parseManifest(text, file, name) };
  });
}
