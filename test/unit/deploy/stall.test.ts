/**
 * Bounded commands against a fake API server that accepts connections and
 * answers /version, then never answers again: every command ends within its
 * --timeout with an error naming the server; bad flags fail before the first
 * request. The CLI runs as a child process (asynchronously: the fake server
 * lives in this process).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploy, destroy, status } from '../../../src/deploy';
import { CommandTimeout } from '../../../src/errors';
import { ClusterUnreachableError, KubeClient } from '../../../src/kube/client';
import { resolveContext } from '../../../src/kube/context';

const MAIN = path.resolve(__dirname, '../../../bin/berth.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-stall-'));
const dist = path.join(tmp, 'dist');
const kubeconfig = path.join(tmp, 'kubeconfig');
let server: http.Server;
let url: string;
const seen: string[] = [];
const hanging: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/version') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ gitVersion: 'v1.31.0' }));
      return;
    }
    hanging.push(res); // accepted, never answered
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fs.writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: stalled, cluster: {server: "${url}"}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: stalled, context: {cluster: stalled, user: u, namespace: ns}}]
current-context: stalled
`,
  );
  fs.mkdirSync(dist);
  fs.writeFileSync(path.join(dist, 'demo.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo-config}\ndata: {a: "1"}\n');
});

afterAll(async () => {
  for (const r of hanging) r.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => (seen.length = 0));

const target = () => ({ kubeconfig, dist, app: 'demo' });

async function timed<T>(p: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const t0 = Date.now();
  try {
    await p;
    return { error: undefined, ms: Date.now() - t0 };
  } catch (error) {
    return { error, ms: Date.now() - t0 };
  }
}

const runs: [string, () => Promise<unknown>][] = [
  ['deploy', () => deploy({ ...target(), timeout: '1500ms', progress: 'silent' })],
  ['destroy', () => destroy({ ...target(), timeout: '1500ms', log: () => undefined })],
  ['status', () => status({ ...target(), timeout: '1500ms' })],
];

it.each(runs)('%s ends within its --timeout, naming the stalled server', async (command, run) => {
  const { error, ms } = await timed(run());
  expect(error).toBeInstanceOf(CommandTimeout);
  expect((error as Error).message).toContain(`${command} --timeout 1500ms passed while waiting for context stalled (${url}) to answer GET /api`);
  expect(ms).toBeGreaterThanOrEqual(1400);
  expect(ms).toBeLessThan(4000);
  expect(seen[0]).toBe('GET /version');
  expect(seen.length).toBeGreaterThan(1);
});

it('one request that gets no answer fails on its own bound, naming server and request', async () => {
  const c = await KubeClient.fromContext(resolveContext({ kubeconfig }));
  c.setRequestTimeout(300);
  const { error, ms } = await timed(c.list('v1', 'ConfigMap', { namespace: 'ns' }));
  c.close();
  expect(error).toBeInstanceOf(ClusterUnreachableError);
  expect((error as Error).message).toBe(`context stalled (${url}) accepted the connection but did not answer GET /api/v1 within 0.3s`);
  expect(ms).toBeLessThan(2000);
});

function cli(args: string[]): Promise<{ code: number; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { ...process.env, CI: 'true' }, timeout: 30_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr, ms: Date.now() - t0 });
    });
  });
}

it.each([
  [['deploy', '--timeout', 'abc'], 'invalid duration "abc"'],
  [['destroy', '--timeout', '5mins'], 'invalid duration "5mins"'],
  [['dev', '--timeout', '10 min'], 'invalid duration "10 min"'],
  [['deploy', '--ingress-url', 'nope'], '"nope" is not a URL'],
  [['deploy', '--no-such-flag'], "unknown option '--no-such-flag'"],
])('berth %j fails with exit 2 before any request, without a stack', async (args, message) => {
  const r = await cli([...args, '--kubeconfig', kubeconfig, '--dist', dist, '--no-synth'].filter((a, i, all) => a !== '--no-synth' || all[0] === 'deploy'));
  expect(r.stderr).toContain(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
  expect(seen).toEqual([]);
});

it('the CLI against the stalled server: exit 3 within --timeout, one clear line', async () => {
  const r = await cli(['deploy', '--kubeconfig', kubeconfig, '--dist', dist, '--no-synth', '--timeout', '2s']);
  expect(r.code).toBe(3);
  expect(r.stderr).toContain(`berth deploy: deploy --timeout 2s passed while waiting for context stalled (${url}) to answer`);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.ms).toBeLessThan(8000);
});
