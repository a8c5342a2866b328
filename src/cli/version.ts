import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package version, read from package.json (two levels above src/cli or lib/src/cli). */
export function version(): string {
  for (const up of ['../..', '../../..']) {
    const p = path.resolve(__dirname, up, 'package.json');
    if (fs.existsSync(p)) return JSON.parse(fs.readFileSync(p, 'utf8')).version;
  }
  return '0.0.0';
}
