import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { berth, byId, mustSucceed, readReport } from './cli';
import { crashLoopApp, synthFixture, uniqueSuffix } from './fixtures';

/**
 * Verify must fail, with a reason a user can act on, when an app does not
 * survive: an app that crash-loops after a restart, a database on an
 * emptyDir, a single-replica WebApp. Each runs on the real cluster.
 */
jest.setTimeout(15 * 60_000);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-verify-neg-'));

function deployAndVerify(dist: string, app: string) {
  mustSucceed(`berth deploy ${app}`, berth(['deploy', '--dist', dist, '--app', app, '--no-synth']));
  const json = path.join(dist, `${app}.verify.json`);
  const run = berth([
    'verify',
    '--dist',
    dist,
    '--app',
    app,
    '--skip-keep-data',
    '--only',
    'wiring,restart,persistence',
    '--observe-seconds',
    '5',
    '--timeout-seconds',
    '90',
    '--json',
    json,
  ]);
  process.stdout.write(`berth verify ${app} (exit ${run.code}):\n${run.stdout}\n${fs.existsSync(json) ? fs.readFileSync(json, 'utf8') : run.stderr}\n`);
  return { run, report: fs.existsSync(json) ? readReport(json) : undefined };
}

function destroy(dist: string, app: string) {
  const r = berth(['destroy', '--dist', dist, '--app', app, '--yes']);
  if (r.code !== 0) process.stderr.write(`cleanup: berth destroy ${app} exited ${r.code}: ${r.stderr}\n`);
}

describe('berth verify on apps that do not survive', () => {
  test('a WebApp that crash-loops after a restart fails the restart check', () => {
    const app = `vfy-crash-${uniqueSuffix()}`;
    const dist = path.join(work, app);
    const stateDir = `/tmp/berth-verify-fixture-${app}`;
    synthFixture(dist, app, (a) => crashLoopApp(a, app, stateDir));
    try {
      const { run, report } = deployAndVerify(dist, app);
      expect(run.code).toBe(1);
      expect(byId(report!, `ready/${app}-web`).status).toBe('pass');
      const restart = byId(report!, `restart/${app}-web`);
      expect(restart.status).toBe('fail');
      expect(restart.reason).toMatch(/replacement for pod .* (CrashLoopBackOff|crash loop)/);
      expect(restart.reason).toMatch(/last log: .*refuses to start again/);
      expect(run.stdout).toMatch(/FAIL\s+restart/);
    } finally {
      destroy(dist, app);
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  test('a database on an emptyDir fails persistence; a single-replica WebApp is not highly available', () => {
    const app = 'ephemeral-db';
    const dist = path.join(work, app);
    mustSucceed('berth synth ephemeral-db', berth(['synth', '--app', app, '--images', 'local', '--out', dist]));
    try {
      const { run, report } = deployAndVerify(dist, app);
      expect(run.code).toBe(1);
      const persistence = report!.checks.find((c) => c.check === 'persistence')!;
      expect(persistence.status).toBe('fail');
      expect(persistence.reason).toMatch(/lost after pod .* was re-created: .* no volumeClaimTemplates, its data is on emptyDir volume "data"/);
      expect(persistence.details.markerFound).toBe(false);
      const ha = report!.checks.find((c) => c.check === 'availability')!;
      expect(ha.status).toBe('fail');
      expect(ha.reason).toMatch(/^not highly available: 1 replica/);
      // The single pod's restart itself works: only availability fails.
      expect(report!.checks.find((c) => c.check === 'restart')!.status).toBe('pass');
    } finally {
      destroy(dist, app);
    }
  });
});
