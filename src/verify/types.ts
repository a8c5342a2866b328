/** The shapes verify produces: one result per check, gathered into a report. */

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable id, e.g. `restart/web`, `persistence/db`. */
  id: string;
  /** Which check family: ready | wiring | restart | availability | persistence | keep-data. */
  check: string;
  /** The workload (or app) the check is about. */
  target: string;
  status: CheckStatus;
  /** One line a human can act on; for failures it says why. */
  reason: string;
  durationMs: number;
  /** Machine-readable evidence (counts, pod names, PVC uids ...). Never credentials. */
  details: Record<string, unknown>;
}

export interface PhaseTiming {
  /**
   * `k8s` = waiting on Kubernetes (pods terminating/starting, PVC, readiness, deploy/destroy);
   * `observe` = deliberate watching for restarts (--observe-seconds); `berth` = our own work.
   */
  kind: 'k8s' | 'observe' | 'berth';
  label: string;
  ms: number;
}

export interface VerifyReport {
  schemaVersion: 1;
  app: string;
  namespace: string;
  context: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  checks: CheckResult[];
  timings: {
    totalMs: number;
    waitingOnKubernetesMs: number;
    /** Observation windows (watching restart counts on purpose). */
    observingMs: number;
    berthMs: number;
    /** Per label, summed. */
    phases: PhaseTiming[];
  };
}
