/** What the caller of the wait loop controls: deadline, grace periods, progress callback, clock. */
import type { Health } from '../../health/readiness';
import type { ProblemKind } from '../../health/diagnose';
import type { KObject } from '../../kube/types';

export interface Grace {
  /** Unschedulable pods: how long before we call it (a cluster autoscaler may add a node). */
  unschedulableMs: number;
  /** Pods waiting for a volume / PVCs pending with immediate binding. */
  volumeMs: number;
  /** ErrImagePull before it turns into ImagePullBackOff. */
  imagePullMs: number;
  /** Container config errors that are not a missing Secret/ConfigMap (kubelet cache sync). */
  configMs: number;
  /** Containers without a readiness probe must be seen running this long (see health/settle.ts). */
  settleMs: number;
}

export const DEFAULT_GRACE: Grace = { unschedulableMs: 10_000, volumeMs: 30_000, imagePullMs: 20_000, configMs: 20_000, settleMs: 3_000 };

/** How long a pod problem of each kind may last before deploy calls it a failure. */
export function graceFor(kind: ProblemKind, grace: Grace): number {
  const table: Record<ProblemKind, number> = {
    volume: grace.volumeMs,
    image: grace.imagePullMs,
    config: grace.configMs,
    unschedulable: grace.unschedulableMs,
    crash: 0,
    'pod-failed': 0,
  };
  return table[kind];
}

/** Time as the wait loop sees it: deadlines and "first seen running" stamps. Tests replay recordings on a faster one. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export type Routed = { ok: boolean; detail: string };

export interface WaitOptions {
  timeoutMs: number;
  /** Label selector matching every tracked object (the app label). */
  labelSelector: string;
  onUpdate?: (name: string, health: Health) => void;
  /** HTTP check through the ingress controller for Ingresses whose controller publishes no address. */
  ingressProbe?: (ing: KObject) => Promise<Routed>;
  grace?: Partial<Grace>;
  clock?: Clock;
}
