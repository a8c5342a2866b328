/** What every bench shares when it reports: the dated results file and the versions it names. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** Writes bench/results/<name>-<date of start>.md, prints it and where it went. */
export function writeResults(name: string, started: Date, text: string): void {
  const outDir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}-${started.toISOString().slice(0, 10)}.md`);
  fs.writeFileSync(file, text);
  process.stdout.write(`${text}\nwritten to ${path.relative(ROOT, file)}\n`);
}

/** The installed version of an npm package, `n/a` when it is not installed. */
export function pkgVersion(name: string): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'n/a';
  }
}
