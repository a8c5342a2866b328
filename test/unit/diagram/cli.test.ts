import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The CLI users run (bin/berth.js), in fresh processes: Graphviz loads anew each time.
const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'bin/berth.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
let dist: string;

beforeAll(() => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-diagram-cli-'));
  const r = run(['synth', '--images', 'upstream', '--out', dist]);
  expect(r.code).toBe(0);
});

test('berth diagram --app demo writes <dist>/demo.svg, the same bytes every run', () => {
  const first = run(['diagram', '--app', 'demo', '--dist', dist]);
  expect(first).toMatchObject({ code: 0, err: `demo: ${path.join(dist, 'demo.svg')} (13 boxes, 12 edges)\n` });
  const a = fs.readFileSync(path.join(dist, 'demo.svg'));
  const out = path.join(dist, 'again', 'demo.svg');
  expect(run(['diagram', '--app', 'demo', '--dist', dist, '--out', out]).code).toBe(0);
  expect(fs.readFileSync(out).equals(a)).toBe(true);
  expect(a.toString()).toMatch(/^<\?xml [^\n]*\n<svg width="\d+pt"/);
});

test('--format mermaid --out - prints the flowchart', () => {
  const r = run(['diagram', '--app', 'external-db', '--dist', dist, '--format', 'mermaid', '--out', '-']);
  expect(r.code).toBe(0);
  expect(r.out).toContain('flowchart TB');
  expect(r.out).toContain('ExternalMongoDatabase<br/>mongo.example.com:27017');
});

test.each([
  [['--dist', 'DIST'], 'berth diagram: DIST has several apps (demo, ephemeral-db, external-db): choose one with --app'],
  [['--dist', 'DIST', '--app', 'nope'], 'berth diagram: no manifest for app "nope" at DIST/nope.k8s.yaml (apps in DIST: demo, ephemeral-db, external-db)'],
  [['--dist', 'DIST', '--app', 'demo', '--format', 'png'], 'berth diagram: --format "png" is not known: use svg or mermaid'],
  [['--dist', 'DIST', '--app', 'demo', '--report', 'r.json'], 'berth diagram: --report only adds to --live; add --live or drop --report'],
])('bad input %j: one clear line, exit 2 (usage), no stack', (args, message) => {
  const r = run(['diagram', ...args.map((a) => a.replace('DIST', dist))]);
  expect(r.code).toBe(2);
  expect(r.err).toBe(`${message.replace(/DIST/g, dist)}\n`);
});

test('an empty dist dir says to run synth', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-diagram-empty-'));
  const r = run(['diagram', '--dist', empty]);
  expect(r.code).toBe(2);
  expect(r.err).toBe(`berth diagram: no manifests (*.k8s.yaml) in ${empty}; run berth synth first (npm run synth)\n`);
});

test('--live with an unreachable cluster names the context and server, no stack', () => {
  const kc = path.join(dist, 'kubeconfig');
  fs.writeFileSync(
    kc,
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n',
  );
  const r = run(['diagram', '--app', 'demo', '--dist', dist, '--live', '--kubeconfig', kc]);
  expect(r.code).toBe(3);
  expect(r.err).toMatch(/^berth diagram: cannot reach context x \(https:\/\/127\.0\.0\.1:1\): ECONNREFUSED.*\n$/);
});
