import { errorMessage, Kube } from '../kube';
import type { VerifyTarget } from '../target';
import type { Timing } from '../timing';
import type { CheckResult, CheckStatus } from '../types';

/** Everything a check needs; checks never read CLI flags directly. */
export interface CheckContext {
  kube: Kube;
  target: VerifyTarget;
  timing: Timing;
  /** How long to watch for restart counts climbing after things became ready. */
  observeMs: number;
  /** Upper bound for any single wait on Kubernetes (pod start, PVC, readiness). */
  timeoutMs: number;
  probeImage: string;
  /** Where this machine reaches the Ingress controller, e.g. http://127.0.0.1:80. */
  ingressUrl: string;
  log: (msg: string) => void;
}

/** Thrown inside a check to end it with a status and reason (and evidence). */
export class CheckOutcome extends Error {
  constructor(
    readonly status: CheckStatus,
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

/**
 * Run one check: `fn` returns the pass reason + details, or throws
 * (CheckOutcome for a deliberate fail/skip; any other error = fail with its message).
 */
export async function runCheck(check: string, target: string, fn: (details: Record<string, unknown>) => Promise<string>): Promise<CheckResult> {
  const t0 = Date.now();
  const details: Record<string, unknown> = {};
  let status: CheckStatus = 'pass';
  let reason: string;
  try {
    reason = await fn(details);
  } catch (e) {
    if (e instanceof CheckOutcome) {
      status = e.status;
      reason = e.reason;
      Object.assign(details, e.details);
    } else {
      status = 'fail';
      reason = errorMessage(e);
    }
  }
  return { id: `${check}/${target}`, check, target, status, reason, durationMs: Date.now() - t0, details };
}

/** A check that was not run because an earlier one showed it would be meaningless. */
export function notRun(check: string, target: string, why: string): CheckResult {
  return { id: `${check}/${target}`, check, target, status: 'skip', reason: `not run: ${why}`, durationMs: 0, details: {} };
}
