import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkSchemas } from '../../../constructs/validation/schema';
import { SchemaCache } from '../../../constructs/validation/schema-cache';

const cm = (name: string, data: Record<string, unknown> = {}) => ({
  doc: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data },
  path: `test/${name}`,
  allPaths: [`test/${name}`],
});

describe('schema validation cache', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cache-')), 'sub', 'schema-valid-test.json');
  const stored = () => JSON.parse(fs.readFileSync(file, 'utf8')) as string[];

  test('stores only objects that passed, keyed by validator version and exact JSON', () => {
    const cache = new SchemaCache(file, '4.5.1');
    const good = cm('good', { a: 'b' });
    const bad = cm('bad', { a: 1 });
    expect(checkSchemas([good, bad], cache)).toEqual(['ConfigMap "bad" (test/bad): schema: data.a must be string']);
    expect(stored()).toEqual([cache.key(good.doc)]);
  });

  test('a later run trusts stored keys, re-validates anything changed, and forgets what is gone', () => {
    const cache = new SchemaCache(file, '4.5.1');
    const good = cm('good', { a: 'b' });
    expect(cache.has(cache.key(good.doc))).toBe(true);
    expect(cache.has(cache.key(cm('good', { a: 'c' }).doc))).toBe(false);
    expect(new SchemaCache(file, '4.6.0').has(new SchemaCache(file, '4.6.0').key(good.doc))).toBe(false);
    const other = cm('other');
    expect(checkSchemas([other], cache)).toEqual([]);
    expect(stored()).toEqual([cache.key(other.doc)]);
  });

  test('an unreadable cache file means: validate everything', () => {
    fs.writeFileSync(file, '{not json');
    const cache = new SchemaCache(file, '4.5.1');
    expect(checkSchemas([cm('bad', { a: 1 })], cache)).toEqual(['ConfigMap "bad" (test/bad): schema: data.a must be string']);
  });

  test('off under jest and with BERTH_SCHEMA_CACHE=off', () => {
    expect(SchemaCache.forApp('demo')).toBeUndefined();
  });
});
