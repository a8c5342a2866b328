/**
 * The demo on the kind cluster of `npm run kind:up`, as a kind user runs it: synth with the local
 * images (loaded into kind by kind:up with `berth cluster load-image`), deploy to context kind-<name>,
 * verify with the Ingress reached through kind's published host port. Every verify check must pass.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { berth, mustSucceed, readReport } from '../verify/cli';
import { CONTEXT, describeOnKind, ENV, HTTP_PORT } from './env';

jest.setTimeout(20 * 60_000);

const env = { KUBECONFIG: ENV.KUBECONFIG, PATH: ENV.PATH, BERTH_INGRESS_URL: `http://127.0.0.1:${HTTP_PORT}` };
const NS = 'berth-kind-demo';

describeOnKind()('demo on kind', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kind-demo-'));
  const target = ['--dist', dist, '--app', 'demo', '--context', CONTEXT, '--namespace', NS];

  afterAll(() => {
    const d = berth(['destroy', ...target, '--yes'], env);
    if (d.code !== 0) process.stderr.write(`cleanup: berth destroy demo exited ${d.code}: ${d.stderr}\n`);
  });

  it('synth → deploy → verify passes every check', () => {
    mustSucceed('berth synth', berth(['synth', '--app', 'demo', '--images', 'local', '--out', dist], env));
    mustSucceed('berth deploy', berth(['deploy', ...target, '--no-synth', '--create-namespace'], env));
    const json = path.join(dist, 'verify-report.json');
    // The node checks need a second node; this kind cluster has one (they are covered on the local cluster).
    const r = berth(['verify', ...target, '--json', json, '--ingress-url', env.BERTH_INGRESS_URL, '--only', 'wiring,restart,persistence,keep-data'], env);
    process.stdout.write(`berth verify on ${CONTEXT} (exit ${r.code}):\n${r.stdout}\n${r.stderr}\n`);
    const report = readReport(json);
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status} ${c.reason}`)).toEqual([]);
    expect(report.checks.map((c) => c.check).sort()).toEqual(['availability', 'keep-data', 'persistence', 'ready', 'ready', 'restart', 'wiring'].sort());
    expect(report.ok).toBe(true);
    expect(r.code).toBe(0);
  });
});
