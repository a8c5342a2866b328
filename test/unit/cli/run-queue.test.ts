import { RunQueue, Timers } from '../../../src/cli/run-queue';
import { devRun, DevSteps } from '../../../src/cli/dev-loop';
import type { CheckedSynthResult } from '../../../src/cli/pipeline';

/** Timers the test advances by hand. */
function fakeTimers() {
  let now = 0;
  let pending: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.push({ at: now + ms, fn, id: next });
      return next++;
    },
    clearTimeout: (id) => {
      pending = pending.filter((p) => p.id !== id);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    const due = pending.filter((p) => p.at <= now);
    pending = pending.filter((p) => p.at > now);
    for (const p of due) p.fn();
  };
  return { timers, advance };
}

/** A job whose runs the test finishes one by one. */
function controlledJob() {
  const runs: { finish: () => void }[] = [];
  const job = () => new Promise<void>((resolve) => runs.push({ finish: resolve }));
  return { runs, job };
}

const flush = () => new Promise((r) => setImmediate(r));

test('saves within the debounce window make one run', async () => {
  const { timers, advance } = fakeTimers();
  const { runs, job } = controlledJob();
  const q = new RunQueue(job, 20, undefined, timers);
  q.trigger();
  advance(10);
  q.trigger();
  advance(10);
  expect(runs).toHaveLength(0);
  expect(q.state).toBe('waiting');
  advance(10);
  expect(runs).toHaveLength(1);
  expect(q.state).toBe('running');
});

test('saves during a run queue exactly one more run, which starts when the first ends', async () => {
  const { timers, advance } = fakeTimers();
  const { runs, job } = controlledJob();
  const superseded = jest.fn();
  const q = new RunQueue(job, 20, superseded, timers);
  q.runNow();
  expect(runs).toHaveLength(1);
  q.trigger();
  q.trigger();
  q.trigger();
  advance(100);
  expect(q.state).toBe('running+queued');
  expect(superseded).toHaveBeenCalledTimes(1); // the running type check can be cancelled once
  runs[0].finish();
  await flush();
  expect(runs).toHaveLength(2);
  expect(q.state).toBe('running');
  runs[1].finish();
  await flush();
  expect(runs).toHaveLength(2);
  expect(q.state).toBe('idle');
  await q.idle();
});

test('a failing run does not stop the queue', async () => {
  const { timers, advance } = fakeTimers();
  let n = 0;
  const q = new RunQueue(
    async () => {
      n++;
      if (n === 1) throw new Error('boom');
    },
    20,
    undefined,
    timers,
  );
  q.runNow();
  await flush();
  q.trigger();
  advance(20);
  await q.idle();
  expect(n).toBe(2);
});

const synthResult = (over: Partial<CheckedSynthResult>): CheckedSynthResult => ({
  ok: true,
  files: [],
  problems: [],
  typeErrors: [],
  cancelled: false,
  synthMs: 1,
  ...over,
});

function steps(result: CheckedSynthResult, deploy: () => Promise<void> = async () => undefined) {
  const log: string[] = [];
  const s: DevSteps & { deployed: number; failures: unknown[] } = {
    deployed: 0,
    failures: [],
    synth: async () => result,
    deploy: async () => {
      s.deployed++;
      await deploy();
    },
    log: (l) => log.push(l),
    deployFailed: (e) => s.failures.push(e),
  };
  return { s, log };
}

test('dev deploys only after a synth that passed the type check and every validation', async () => {
  const ok = steps(synthResult({ ok: true }));
  expect(await devRun(ok.s, ['apps/demo/app.ts'])).toBe('deployed');
  expect(ok.s.deployed).toBe(1);

  const typeErrors = steps(synthResult({ ok: false, typeErrors: ['apps/demo/app.ts:3:1 - error TS2322: …'] }));
  expect(await devRun(typeErrors.s, [])).toBe('synth-failed');
  expect(typeErrors.s.deployed).toBe(0);
  expect(typeErrors.log).toEqual(['not deployed: fix the errors above, then save again']);

  const superseded = steps(synthResult({ ok: false, cancelled: true }));
  expect(await devRun(superseded.s, [])).toBe('superseded');
  expect(superseded.s.deployed).toBe(0);
});

test('a failed deploy is shown and the loop keeps going', async () => {
  const failing = steps(synthResult({ ok: true }), async () => {
    throw new Error('ImagePullBackOff');
  });
  expect(await devRun(failing.s, [])).toBe('deploy-failed');
  expect((failing.s.failures[0] as Error).message).toBe('ImagePullBackOff');
  expect(failing.log).toEqual(['watching for changes; the next save deploys again']);
});

test('dev: a save during a deploy leads to exactly one more synth+deploy', async () => {
  const { timers, advance } = fakeTimers();
  const deploys: { finish: () => void }[] = [];
  const s = steps(synthResult({ ok: true }), () => new Promise<void>((resolve) => deploys.push({ finish: resolve }))).s;
  const q = new RunQueue(() => devRun(s, []).then(() => undefined), 20, undefined, timers);
  q.runNow();
  await flush();
  expect(deploys).toHaveLength(1);
  q.trigger();
  advance(50);
  q.trigger();
  advance(50);
  deploys[0].finish();
  await flush();
  await flush();
  expect(deploys).toHaveLength(2);
  deploys[1].finish();
  await q.idle();
  expect(s.deployed).toBe(2);
});
