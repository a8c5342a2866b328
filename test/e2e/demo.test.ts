import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { berth, mustSucceed, readReport } from '../integration/verify/cli';

/**
 * End to end, as a user would on the local cluster (after `npm run cluster:up`):
 * synth the demo app with the local images → deploy → verify, including the
 * destroy --keep-data + deploy cycle. The JSON report is printed so the CI log
 * (kept as an artifact) holds it.
 */
jest.setTimeout(20 * 60_000);

test('demo app: synth → deploy → verify passes every check', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
  const json = path.join(dist, 'verify-report.json');
  mustSucceed('berth synth', berth(['synth', '--app', 'demo', '--images', 'local', '--out', dist]));
  mustSucceed('berth deploy', berth(['deploy', '--dist', dist, '--app', 'demo', '--no-synth']));
  try {
    verifyDemo(dist, json);
    liveDiagram(dist, json);
  } finally {
    // Leave the cluster clean for the next suite (PVC included).
    const d = berth(['destroy', '--dist', dist, '--app', 'demo', '--yes']);
    if (d.code !== 0) process.stderr.write(`cleanup: berth destroy demo exited ${d.code}: ${d.stderr}\n`);
  }
});

function verifyDemo(dist: string, json: string): void {
  // The node checks (node-drain, node-failure) have their own tests with the demo placed on chosen
  // nodes: test/integration/nodes/.
  const html = path.join(dist, 'verify-report.html');
  const run = berth(['verify', '--dist', dist, '--app', 'demo', '--only', 'wiring,restart,persistence,keep-data', '--json', json, '--report', html]);
  process.stdout.write(`berth verify (exit ${run.code}):\n${run.stdout}\n${run.stderr}\n`);
  expect(fs.existsSync(json)).toBe(true);
  const text = fs.readFileSync(json, 'utf8');
  process.stdout.write(`BEGIN VERIFY JSON REPORT\n${text}END VERIFY JSON REPORT\n`);
  const report = readReport(json);
  expect(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status} ${c.reason}`)).toEqual([]);
  expect(report.checks.map((c) => c.check).sort()).toEqual(['availability', 'keep-data', 'persistence', 'ready', 'ready', 'restart', 'wiring'].sort());
  expect(report.ok).toBe(true);
  expect(run.code).toBe(0);
  // The HTML report of this real run: one file, the diagram inline, no script fetched from anywhere.
  const page = fs.readFileSync(html, 'utf8');
  expect(page).toContain('<svg');
  expect(page).toContain('demo-web');
  expect(page).not.toMatch(/<script[^>]+src=/);
}

/** `berth diagram --live` against the cluster the demo now runs on: its state drawn on the picture. */
function liveDiagram(dist: string, json: string): void {
  const out = path.join(dist, 'demo.live.svg');
  mustSucceed('berth diagram --live', berth(['diagram', '--dist', dist, '--app', 'demo', '--live', '--report', json, '--out', out]));
  const svg = fs.readFileSync(out, 'utf8').replaceAll('&#45;', '-'); // Graphviz writes '-' as an entity
  expect(svg).toContain('ready: 2/2');
  expect(svg).toContain('endpoints: 2/2 ready');
  expect(svg).toContain('Pod demo-db-0');
  expect(svg).toMatch(/Bound on berth-local/);
}
