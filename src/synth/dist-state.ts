/**
 * What berth synth wrote to dist/ and from what: per manifest, the image set,
 * a hash of the YAML and a hash of every project source file the app's build
 * read (plus package-lock.json). A manifest is stale when any of these no
 * longer match, by content, so neither an edit nor a `git checkout` that keeps
 * time stamps can slip past. Kept in node_modules/.cache/berth/, not in dist/,
 * so `kubectl apply -f dist/` sees only manifests.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImageSet } from './images';

export interface DistRecord {
  readonly images: ImageSet;
  readonly yaml: string;
  readonly files: string[];
  readonly inputs: string;
}

export type Freshness = { readonly stale: false; readonly images: ImageSet } | { readonly stale: true; readonly reason: string; readonly images?: ImageSet };

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

function stateFile(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'berth', 'dist-state.json');
}

function readState(root: string): Record<string, DistRecord> {
  try {
    return JSON.parse(fs.readFileSync(stateFile(root), 'utf8'));
  } catch {
    return {};
  }
}

/** Hash of the inputs' current contents (a missing file hashes as missing). */
export function inputsDigest(root: string, files: string[]): string {
  const h = createHash('sha256');
  for (const f of [...files, path.join(root, 'package-lock.json')]) {
    let content: Buffer | string;
    try {
      content = fs.readFileSync(f);
    } catch {
      content = '\0missing';
    }
    h.update(f).update('\0').update(sha256(content)).update('\0');
  }
  return h.digest('hex');
}

/** One manifest just written: its path, its YAML, the image set and the source files it came from. */
export interface WrittenManifest {
  readonly manifest: string;
  readonly yaml: string;
  readonly images: ImageSet;
  readonly files: string[];
}

/** Remember manifests that were just written (one read and one write of the state for all of them). */
export function recordDist(root: string, written: WrittenManifest[]): void {
  if (written.length === 0) return;
  const state = readState(root);
  for (const w of written) state[path.resolve(w.manifest)] = { images: w.images, yaml: sha256(w.yaml), files: w.files, inputs: inputsDigest(root, w.files) };
  writeState(root, state);
}

/** These manifests were written from code that did not pass every check: never fresh. */
export function forgetDist(root: string, manifests: string[]): void {
  const state = readState(root);
  const known = manifests.map((m) => path.resolve(m)).filter((m) => m in state);
  if (known.length === 0) return;
  for (const m of known) delete state[m];
  writeState(root, state);
}

function writeState(root: string, state: Record<string, DistRecord>): void {
  const file = stateFile(root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 1)}\n`);
  fs.renameSync(tmp, file);
}

/** Is `manifest` what berth synth would write from the sources as they are now? */
export function freshness(root: string, manifest: string): Freshness {
  let yaml: string;
  try {
    yaml = fs.readFileSync(manifest, 'utf8');
  } catch {
    return { stale: true, reason: 'no manifest yet' };
  }
  const rec = readState(root)[path.resolve(manifest)];
  if (!rec) return { stale: true, reason: 'not written by berth synth here', images: imageSetOf(yaml) };
  if (rec.yaml !== sha256(yaml)) return { stale: true, reason: 'changed since berth synth wrote it', images: rec.images };
  if (rec.inputs !== inputsDigest(root, rec.files)) return { stale: true, reason: 'app sources changed', images: rec.images };
  return { stale: false, images: rec.images };
}

/** Image set of a manifest berth has no record of (e.g. written by `cdk8s synth`): local when it uses berth.local images. */
export function imageSetOf(yaml: string): ImageSet | undefined {
  return /image: "?berth\.local\//.test(yaml) ? 'local' : undefined;
}
