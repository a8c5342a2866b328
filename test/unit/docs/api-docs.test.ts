/**
 * docs/api is generated from the TSDoc of constructs/index.ts's exports (`npm run docs`), so the
 * comments in constructs/ are the one source. This fails when the committed pages differ from a
 * fresh generation: someone changed a construct's TSDoc or exports without regenerating.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const COMMITTED = path.join(ROOT, 'docs/api');
const TYPEDOC = path.join(ROOT, 'node_modules/typedoc/bin/typedoc');

/** Every file under `dir`, as sorted paths relative to it. */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: false }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** Files that are missing, extra or different in `committed` compared with `fresh`. */
function apiDocsDrift(committed: string, fresh: string): string[] {
  const have = listFiles(committed);
  const want = listFiles(fresh);
  return [
    ...want.filter((f) => !have.includes(f)).map((f) => `missing: docs/api/${f}`),
    ...have.filter((f) => !want.includes(f)).map((f) => `not generated any more: docs/api/${f}`),
    ...want
      .filter((f) => have.includes(f))
      .filter((f) => fs.readFileSync(path.join(committed, f), 'utf8') !== fs.readFileSync(path.join(fresh, f), 'utf8'))
      .map((f) => `differs: docs/api/${f}`),
  ];
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'berth-docs-'));

describe('apiDocsDrift', () => {
  test('names missing, extra and changed pages, and nothing for identical trees', () => {
    const a = tmp();
    const b = tmp();
    fs.mkdirSync(path.join(a, 'classes'));
    fs.mkdirSync(path.join(b, 'classes'));
    fs.writeFileSync(path.join(a, 'README.md'), 'same');
    fs.writeFileSync(path.join(b, 'README.md'), 'same');
    expect(apiDocsDrift(a, b)).toEqual([]);
    fs.writeFileSync(path.join(a, 'classes/Old.md'), 'x');
    fs.writeFileSync(path.join(b, 'classes/New.md'), 'y');
    fs.writeFileSync(path.join(b, 'README.md'), 'changed');
    expect(apiDocsDrift(a, b)).toEqual(['missing: docs/api/classes/New.md', 'not generated any more: docs/api/classes/Old.md', 'differs: docs/api/README.md']);
  });
});

test('docs/api is what `npm run docs` generates from the TSDoc in constructs/', () => {
  const out = tmp();
  const r = spawnSync(process.execPath, [TYPEDOC, '--options', path.join(ROOT, 'docs/typedoc.json'), '--out', out, '--logLevel', 'Warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // docs/typedoc.json treats warnings (e.g. a broken {@link}) as errors.
  if (r.status !== 0) throw new Error(`typedoc failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  const drift = apiDocsDrift(COMMITTED, out);
  if (drift.length > 0) {
    throw new Error(`docs/api is out of date with the TSDoc in constructs/; run \`npm run docs\` and commit docs/api:\n  ${drift.join('\n  ')}`);
  }
  fs.rmSync(out, { recursive: true, force: true });
}, 120_000);
