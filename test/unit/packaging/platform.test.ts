/**
 * berth must install on macOS and Linux, x64 and arm64. npm refuses (EBADPLATFORM) a non-optional package
 * whose `os`/`cpu` excludes the machine, so every platform-locked package in the lockfile must be optional.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8'));

interface LockEntry {
  os?: string | string[];
  cpu?: string | string[];
  optional?: boolean;
  devOptional?: boolean;
}

const locked = (e: LockEntry): boolean => e.os !== undefined || e.cpu !== undefined;

describe('packages install on every supported platform', () => {
  const lock = read('package-lock.json') as { packages: Record<string, LockEntry> };
  const pkg = read('package.json') as Record<string, Record<string, string> | undefined>;

  test('every platform-locked package in package-lock.json is optional', () => {
    const offenders = Object.entries(lock.packages)
      .filter(([, e]) => locked(e) && !e.optional && !e.devOptional)
      .map(([name, e]) => `${name} (os ${JSON.stringify(e.os ?? 'any')}, cpu ${JSON.stringify(e.cpu ?? 'any')})`);
    expect(offenders).toEqual([]);
  });

  test('no platform-locked package is a direct required dependency in package.json', () => {
    const direct = { ...pkg.dependencies, ...pkg.devDependencies };
    const offenders = Object.keys(direct).filter((name) => {
      const e = lock.packages[`node_modules/${name}`];
      return e !== undefined && locked(e);
    });
    expect(offenders).toEqual([]);
  });

  test('the lockfile was written for this package.json (npm ci would refuse otherwise)', () => {
    const root = lock.packages[''] as Record<string, unknown>;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      expect(root[field] ?? {}).toEqual(pkg[field] ?? {});
    }
  });
});
