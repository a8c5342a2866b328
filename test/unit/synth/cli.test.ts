import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// These run the CLI as users do: bin/berth.js, from the TypeScript sources (the cdk8s entry test runs the built JS).
const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'bin/berth.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-'));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'lib/apps/demo/main.js'))) throw new Error('lib/ missing: run `npm run build` (npm test does)');
});

test('berth --version prints the package version', () => {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  expect(run([CLI, '--version']).out.trim()).toBe(version);
});

test('berth synth --app demo --images local writes dist/demo.k8s.yaml and says so', () => {
  const out = tmp();
  const r = run([CLI, 'synth', '--app', 'demo', '--images', 'local', '--out', out]);
  expect(r.code).toBe(0);
  expect(r.out).toContain(`demo: ${path.join(out, 'demo.k8s.yaml')} (9 objects,`);
  expect(r.out).toMatch(/synthesized 1 app \(images: local\) in \d+ ms/);
  expect(fs.readdirSync(out)).toEqual(['demo.k8s.yaml']);
});

test('cdk8s entry point (cdk8s.yaml app) writes the same bytes as berth synth', () => {
  const [a, b] = [tmp(), tmp()];
  expect(run([CLI, 'synth', '--app', 'demo', '--out', a], { BERTH_IMAGES: 'local' }).code).toBe(0);
  const r = run([path.join(ROOT, 'lib/apps/demo/main.js')], { BERTH_IMAGES: 'local', CDK8S_OUTDIR: b });
  expect(r.err).toBe('');
  expect(fs.readFileSync(path.join(b, 'demo.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(a, 'demo.k8s.yaml'), 'utf8'));
});

test('bad input: exit 1, every problem on stderr, nothing written', () => {
  const out = path.join(tmp(), 'dist');
  const r = run([CLI, 'synth', '--app', 'nope', '--out', out]);
  expect(r.code).toBe(1);
  expect(r.err).toContain('synth failed with 1 problem:\n  unknown app "nope": apps are demo, ephemeral-db, external-db');
  expect(r.err).toContain(`nothing was written to ${out}/`);
  expect(fs.existsSync(out)).toBe(false);
});

test('--images only accepts known sets (a usage error: exit 2, docs/exit-codes.md)', () => {
  const r = run([CLI, 'synth', '--images', 'latest']);
  expect(r.code).toBe(2);
  expect(r.err).toContain("argument 'latest' is invalid. Allowed choices are upstream, local.");
});

test('npm run synth runs Node with the same flags as the berth bin (its shebang)', () => {
  const root = path.resolve(__dirname, '../../..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const shebang = fs.readFileSync(path.join(root, pkg.bin.berth), 'utf8').split('\n', 1)[0];
  const flags = /^#!\/usr\/bin\/env -S node (.+)$/.exec(shebang)?.[1];
  expect(flags).toBe('--max-semi-space-size=2');
  expect(pkg.scripts.synth).toContain(`node ${flags} ${pkg.bin.berth} synth`);
});

test.each(['synth', 'dev'])('berth %s with a bad $BERTH_IMAGES is a usage error (exit 2) that names the value', (command) => {
  const r = run([CLI, command, '--app', 'demo'], { BERTH_IMAGES: 'locl' });
  expect(r.code).toBe(2);
  expect(r.err).toBe(`berth ${command}: BERTH_IMAGES="locl" is not allowed: use upstream or local\n`);
});
