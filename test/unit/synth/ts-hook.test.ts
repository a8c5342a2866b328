/** bin/ts-hook.js: the transpile cache is keyed by content, so an edited file never runs from an older output. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hook = require('../../../bin/ts-hook.js') as {
  compiled(file: string): { code: string; cached: boolean };
  cacheFile(file: string, source: string): string;
};

test('same content comes from the cache; new content with the same time stamp is transpiled again and replaces it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-hook-'));
  const file = path.join(dir, 'mod.ts');
  try {
    fs.writeFileSync(file, 'export const n: number = 1;\n');
    const { mtime } = fs.statSync(file);
    const first = hook.compiled(file);
    expect(first.cached).toBe(false);
    expect(first.code).toMatch(/n = 1/);
    expect(first.code).not.toMatch(/: number/);
    expect(hook.compiled(file)).toEqual({ code: first.code, cached: true });

    fs.writeFileSync(file, 'export const n: number = 2;\n');
    fs.utimesSync(file, mtime, mtime);
    const second = hook.compiled(file);
    expect(second.cached).toBe(false);
    expect(second.code).toMatch(/n = 2/);
    // The output for the old content is gone: one cache file per source.
    const entries = fs.readdirSync(path.dirname(hook.cacheFile(file, 'export const n: number = 2;\n')));
    expect(entries).toEqual([path.basename(hook.cacheFile(file, 'export const n: number = 2;\n'))]);
  } finally {
    fs.rmSync(path.dirname(hook.cacheFile(file, '')), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
