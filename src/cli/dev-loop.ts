/**
 * `berth dev`'s loop, free of I/O: after each burst of saves, synth
 * (type-checked) and, only when that passed, deploy. A failed synth or deploy
 * is reported and the loop keeps watching; a run superseded by a newer save
 * deploys nothing (the queued run will).
 */
import type { CheckedSynthResult } from './pipeline';

export interface DevSteps {
  synth(changed: string[]): Promise<CheckedSynthResult>;
  deploy(): Promise<void>;
  log(line: string): void;
  /** How a deploy error is shown (the deploy CLI's messages). */
  deployFailed(e: unknown): void;
}

export type DevOutcome = 'deployed' | 'synth-failed' | 'superseded' | 'deploy-failed';

export async function devRun(steps: DevSteps, changed: string[]): Promise<DevOutcome> {
  const r = await steps.synth(changed);
  if (r.cancelled) return 'superseded';
  if (!r.ok) {
    steps.log('not deployed: fix the errors above, then save again');
    return 'synth-failed';
  }
  try {
    await steps.deploy();
  } catch (e) {
    steps.deployFailed(e);
    steps.log('watching for changes; the next save deploys again');
    return 'deploy-failed';
  }
  steps.log('watching for changes');
  return 'deployed';
}
