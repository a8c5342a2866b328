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

/** Something that happened during the restart window, drawn as a marker on the traffic chart. */
export interface TimelineMarker {
  /** ms after the timeline's start. */
  atMs: number;
  kind: 'pod-deleted' | 'pod-ready' | 'node';
  label: string;
}

/**
 * Requests per second through the Service and the Ingress while a check disrupted a WebApp (in the
 * `details.timeline` of the availability, node-drain and node-failure checks).
 * Index i of each array counts requests started in second i after `startedAt`.
 */
export interface TrafficTimeline {
  startedAt: string;
  service?: { ok: number[]; failed: number[] };
  ingress?: { ok: number[]; failed: number[] };
  markers: TimelineMarker[];
}
