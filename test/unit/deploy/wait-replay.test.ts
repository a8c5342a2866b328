/**
 * The wait loop against recorded watch sequences (test/unit/fixtures/watch/,
 * recorded by test/recordings/record.ts on a real cluster), replayed through
 * the fake API server on a compressed clock. Each replay must end as the
 * recorded run did, for the reason the scenario is about.
 */
import { DeployFailure, DeployTimeout } from '../../../src/deploy/errors';
import { waitForReady } from '../../../src/deploy/wait';
import type { Health } from '../../../src/health/readiness';
import { loadRecording, Replay } from '../support/replay';

interface Replayed {
  result: 'ready' | 'failure' | 'timeout';
  error?: Error;
  /** Recorded-time milliseconds the wait took. */
  atMs: number;
  updates: { name: string; health: Health }[];
  unmatched: string[];
}

async function replay(scenario: string, speed = 20): Promise<Replayed> {
  const rec = loadRecording(scenario);
  const r = await Replay.start(rec, speed);
  const client = await r.client();
  const updates: Replayed['updates'] = [];
  try {
    r.begin();
    const end = await waitForReady(client, rec.applied, { ...rec.wait, clock: r.clock, onUpdate: (name, health) => updates.push({ name, health }) }).then(
      () => ({ result: 'ready' as const }),
      (error: Error) => ({ result: error instanceof DeployTimeout ? ('timeout' as const) : ('failure' as const), error }),
    );
    return { ...end, atMs: r.now(), updates, unmatched: r.unmatched };
  } finally {
    client.close();
    await r.close();
  }
}

/** The replay ends as the recorded run ended: same result (and text, unless racy), every request answered from the recording. */
function expectAsRecorded(scenario: string, got: Replayed, sameText = true): void {
  const rec = loadRecording(scenario);
  expect(got.unmatched).toEqual([]);
  expect(got.result).toBe(rec.outcome.result);
  if (rec.outcome.result !== 'ready' && sameText) expect(got.error?.message).toBe(rec.outcome.message);
}

const statesOf = (got: Replayed, kind: string) => got.updates.filter((u) => u.name.startsWith(`${kind} `)).map((u) => u.health);

describe('waitForReady replaying recorded watch sequences', () => {
  it('fails on an image that cannot be pulled, naming pod, image and registry answer', async () => {
    const got = await replay('image-pull-error');
    expectAsRecorded('image-pull-error', got);
    expect(got.error).toBeInstanceOf(DeployFailure);
    expect((got.error as DeployFailure).object).toBe('Deployment waiter-rec-image-pull-error/rec-image-pull-error-web');
    expect(got.error!.message).toMatch(/: (ErrImagePull|ImagePullBackOff) for image registry\.invalid\.example\/berth\/nope:1\.0 \(container web\): /);
    // The registry lookup timed out (not a definitive answer): reported as progress, failed only once it turned into a back-off.
    expect(statesOf(got, 'Deployment').some((h) => h.message.startsWith('ErrImagePull'))).toBe(true);
  });

  it('holds a probe-less workload that looks available until it crashes, then fails with its last log lines', async () => {
    const got = await replay('crash-after-ready');
    expectAsRecorded('crash-after-ready', got);
    expect(got.error).toBeInstanceOf(DeployFailure);
    expect(got.error!.message).toMatch(/CrashLoopBackOff: container web keeps crashing, \d+ restart\(s\) \(last exit: Error, code 4\)/);
    expect(got.error!.message).toContain('    | late-marker: lost the config');
    const deployment = statesOf(got, 'Deployment');
    expect(deployment.map((h) => h.message)).toContain('checking that containers without a readiness probe keep running (3s)');
    expect(deployment.filter((h) => h.state === 'ready')).toEqual([]);
  });

  it('waits out an unschedulable pod that a node comes to fit within the grace period, and ends ready', async () => {
    const got = await replay('unschedulable-then-schedulable');
    expectAsRecorded('unschedulable-then-schedulable', got);
    const deployment = statesOf(got, 'Deployment');
    expect(deployment.some((h) => /^unschedulable: 0\/2 nodes are available: .*node affinity\/selector/.test(h.message))).toBe(true);
    expect(deployment.at(-1)).toEqual({ state: 'ready', message: '1/1 available' });
  });

  it("ignores the old ReplicaSet's pod in ImagePullBackOff during a rollout and ends ready", async () => {
    const got = await replay('old-replicaset-pods');
    expectAsRecorded('old-replicaset-pods', got);
    const deployment = statesOf(got, 'Deployment');
    expect(deployment.map((h) => h.message)).toContain('1 old replica(s) pending termination');
    expect(deployment.some((h) => /ImagePull/.test(h.message))).toBe(false);
    expect(deployment.at(-1)).toEqual({ state: 'ready', message: '1/1 available' });
  });

  it('counts a Pending claim on a WaitForFirstConsumer class as ready and waits for the pod that binds it', async () => {
    const got = await replay('pvc-wait-for-first-consumer');
    expectAsRecorded('pvc-wait-for-first-consumer', got);
    expect(statesOf(got, 'PersistentVolumeClaim')).toEqual([
      { state: 'ready', message: 'Pending until first use (StorageClass local-path binds on first consumer)' },
    ]);
    expect(statesOf(got, 'Deployment').at(-1)).toEqual({ state: 'ready', message: '1/1 available' });
  });

  it('fails a claim with immediate binding that stays Pending once the volume grace is over, with its phase and class', async () => {
    const got = await replay('pvc-pending-immediate', 10);
    // The claim's own deadline and its pod's "waiting for volume" grace end within a recorded 0.1 s of each other: either may report.
    expectAsRecorded('pvc-pending-immediate', got, false);
    expect(got.error).toBeInstanceOf(DeployFailure);
    expect(got.error!.message).toMatch(
      /^(PersistentVolumeClaim waiter-rec-pvc-pending-immediate\/data: claim does not bind after 30s|Deployment .*: waiting for volume: .*)\n {2}PVC data: Pending, StorageClass berth-waiter-rec-immediate/,
    );
    expect(got.atMs).toBeGreaterThanOrEqual(30_000);
  });

  it("times out listing what it waited for, with the pods' warnings", async () => {
    const got = await replay('timeout');
    expectAsRecorded('timeout', got);
    expect(got.error!.message).toMatch(
      /\ntheir pods:\n {2}Deployment waiter-rec-timeout\/rec-timeout-web: rec-timeout-web-\S+: Running not-ready restarts=0\n/,
    );
    expect(got.error).toBeInstanceOf(DeployTimeout);
    expect(got.error!.message).toMatch(/^timed out after 20s waiting for:\n/);
    expect(got.error!.message).toContain('  Deployment waiter-rec-timeout/rec-timeout-web: 0/1 replicas available');
    expect(got.error!.message).toContain('  Service waiter-rec-timeout/rec-timeout-web: no ready endpoints yet');
    expect(got.error!.message).toMatch(/recent warnings of the app's pods:\n {2}pod rec-timeout-web-\S+: Unhealthy: Readiness probe failed: /);
    expect(got.atMs).toBeGreaterThanOrEqual(20_000);
  });

  it('waits for a custom resource by the generic rule: generation observed, then Ready=True', async () => {
    const got = await replay('custom-resource-ready');
    expectAsRecorded('custom-resource-ready', got);
    expect(statesOf(got, 'Widget')).toEqual([
      { state: 'progressing', message: 'waiting for the controller to observe generation 2 (observed 1)' },
      { state: 'progressing', message: 'not Ready (False): Resizing: resizing from 1 to 2' },
      { state: 'ready', message: 'Ready: Provisioned: size 2 is up' },
    ]);
  });
});
