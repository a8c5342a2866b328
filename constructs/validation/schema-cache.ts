import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Remembers which objects passed schema validation, so an unchanged object is
 * not validated again on the next synth. The key is a hash of the validator
 * version (kubernetes-models) and the object's exact JSON, so any change to
 * the object or to the schemas means a fresh validation. Only successes are
 * stored. On a full hit synth does not even load the ~200 validator modules,
 * which is most of a small app's synth time.
 *
 * Stored per app in node_modules/.cache/berth/ (next to the validators, so a
 * reinstall clears it). Off with BERTH_SCHEMA_CACHE=off, and under jest.
 */
export class SchemaCache {
  /** The cache for `app`, or undefined when caching is off or there is no node_modules to keep it in. */
  static forApp(app: string): SchemaCache | undefined {
    if (process.env.BERTH_SCHEMA_CACHE === 'off' || process.env.JEST_WORKER_ID !== undefined) return undefined;
    try {
      const pkg = require.resolve('kubernetes-models/package.json');
      const version = JSON.parse(fs.readFileSync(pkg, 'utf8')).version as string;
      return new SchemaCache(path.join(path.dirname(pkg), '..', '.cache', 'berth', `schema-valid-${app}.json`), version);
    } catch {
      return undefined;
    }
  }

  private readonly known: Set<string>;
  private readonly valid = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly validatorVersion: string,
  ) {
    let list: string[] = [];
    try {
      list = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      // no cache yet, or unreadable: validate everything
    }
    this.known = new Set(Array.isArray(list) ? list : []);
  }

  key(doc: unknown): string {
    return createHash('sha1').update(this.validatorVersion).update('\0').update(JSON.stringify(doc)).digest('hex');
  }

  has(key: string): boolean {
    return this.known.has(key);
  }

  markValid(key: string): void {
    this.valid.add(key);
  }

  /** Replace the stored set with this run's valid objects (keeps the file as small as the app). Best effort. */
  save(): void {
    const next = [...this.valid].sort();
    if (next.length === this.known.size && next.every((k) => this.known.has(k))) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(next));
      fs.renameSync(tmp, this.file);
    } catch {
      // read-only install: just validate every time
    }
  }
}
