import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** verify could not run at all: exit 2 for bad input (no dist, bad flags), 3 for no cluster (docs/exit-codes.md); no check is reported as failed. Runs the CLI users run (bin/berth.js). */
const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'bin/berth.js');

const DIST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo-web
  annotations: {berth.dev/role: web-app, berth.dev/web-service: demo-web, berth.dev/web-port: "8080"}
spec: {replicas: 2, selector: {matchLabels: {app: web}}}
`;

function verify(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, 'verify', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cli-'));

test('no dist/: exit 2 with what to do', () => {
  const r = verify(['--dist', path.join(tmp, 'nope')]);
  expect(r.code).toBe(2);
  expect(r.out).toMatch(/dist directory ".*nope" does not exist: run `berth synth` first or pass --dist/);
});

test('unreachable cluster: exit 3 (docs/exit-codes.md) naming the context and server', () => {
  fs.mkdirSync(path.join(tmp, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'dist', 'demo.k8s.yaml'), DIST);
  const kc = path.join(tmp, 'kubeconfig');
  // Port 9 (discard) on localhost: nothing listens, the connection is refused at once.
  fs.writeFileSync(
    kc,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: nowhere, context: {cluster: c, user: u}}]
current-context: nowhere
`,
  );
  const r = verify(['--dist', path.join(tmp, 'dist'), '--kubeconfig', kc]);
  expect(r.code).toBe(3);
  expect(r.out).toMatch(/cannot reach context nowhere \(https:\/\/127\.0\.0\.1:9\): ECONNREFUSED/);
  expect(r.out).not.toMatch(/RESULT/);
});

test('bad flag value: exit 2', () => {
  const r = verify(['--dist', path.join(tmp, 'dist'), '--observe-seconds', 'soon']);
  expect(r.code).toBe(2);
  expect(r.out).toMatch(/--observe-seconds must be a positive number of seconds, got "soon"/);
});

test('--only with an unknown check: exit 2 listing the checks', () => {
  const r = verify(['--dist', path.join(tmp, 'dist'), '--only', 'node-drain,reboot']);
  expect(r.code).toBe(2);
  expect(r.out).toMatch(/--only: unknown check "reboot"; choose from wiring, restart, persistence, keep-data, node-drain, node-failure/);
});
