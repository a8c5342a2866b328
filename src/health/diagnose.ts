/**
 * Why a pod does not become ready, from its status alone (pure). One diagnosis for every stage, with a
 * grace policy: deploy's wait loop calls it on every pod event and gives passing troubles time to pass;
 * verify runs after a successful deploy and allows none, except for troubles the kubelet itself retries.
 */
import type { KObject } from '../kube/types';

export type ProblemKind = 'image' | 'crash' | 'config' | 'unschedulable' | 'volume' | 'pod-failed';

export interface PodProblem {
  kind: ProblemKind;
  pod: string;
  namespace?: string;
  container?: string;
  image?: string;
  /** One-line reason, e.g. "ImagePullBackOff: ..." */
  message: string;
  /** Report at once (true) or only if it persists for the grace period (scheduling may resolve itself). */
  immediate: boolean;
  /**
   * The kubelet retries this by itself and it usually passes (a pull that hit a network error, a
   * Secret/ConfigMap cache that did not sync in time on a busy node): even a caller with no grace waits
   * for it, until its own deadline.
   */
  transient?: true;
}

/** How patient the caller is. */
export interface GracePolicy {
  /** false: every problem counts at once (nothing is expected to be starting any more). */
  graceful: boolean;
  /** Count a container that restarted this often and is not ready as crash-looping, before the back-off shows. */
  maxRestarts?: number;
  /** A pod in phase Failed is a problem (deploy); verify looks at replacements and skips evicted leftovers. */
  failedPhase: boolean;
}

export const DEPLOY_GRACE: GracePolicy = { graceful: true, failedPhase: true };
export const NO_GRACE: GracePolicy = { graceful: false, maxRestarts: 2, failedPhase: false };

/** Container waiting reasons that mean a problem. */
export const IMAGE_REASONS: ReadonlySet<string> = new Set(['ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'ErrImagePull']);
export const CONFIG_REASONS: ReadonlySet<string> = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
export const CRASH_REASON = 'CrashLoopBackOff';

interface ContainerStatus {
  name: string;
  ready?: boolean;
  image?: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

/** A kubelet error that is definitive is reported at once; any other the kubelet retries by itself. */
function retriedUnless(definitive: boolean): Pick<PodProblem, 'immediate' | 'transient'> {
  return definitive ? { immediate: true } : { immediate: false, transient: true };
}

function specImage(pod: KObject, container: string): string | undefined {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as { name: string; image?: string }[];
  return all.find((c) => c.name === container)?.image;
}

function containerProblem(pod: KObject, cs: ContainerStatus, init: boolean): PodProblem | undefined {
  const waiting = cs.state?.waiting;
  const reason = waiting?.reason;
  if (!reason) return undefined;
  const base = { pod: pod.metadata.name, namespace: pod.metadata.namespace, container: cs.name };
  const label = init ? `init container ${cs.name}` : `container ${cs.name}`;
  if (IMAGE_REASONS.has(reason)) {
    const image = specImage(pod, cs.name) ?? cs.image;
    // ErrImagePull is the first failure; kubelet turns it into ImagePullBackOff after it. Report it at
    // once only when the registry's answer is definitive (no such image/host, access denied); a network
    // hiccup gets the grace period.
    const definitive =
      reason !== 'ErrImagePull' || /not found|no such host|manifest unknown|unauthorized|denied|invalid reference/i.test(waiting?.message ?? '');
    return {
      ...base,
      kind: 'image',
      image,
      message: `${reason} for image ${image} (${label}): ${waiting?.message ?? 'cannot pull image'}`,
      ...retriedUnless(definitive),
    };
  }
  if (reason === CRASH_REASON) {
    const last = cs.lastState?.terminated;
    const exit = last ? ` (last exit: ${last.reason ?? 'Error'}, code ${last.exitCode ?? '?'})` : '';
    return {
      ...base,
      kind: 'crash',
      message: `CrashLoopBackOff: ${label} keeps crashing, ${cs.restartCount ?? 0} restart(s)${exit}`,
      immediate: true,
    };
  }
  if (CONFIG_REASONS.has(reason)) {
    // A missing Secret/ConfigMap (key) will not appear by itself; other causes, like the kubelet's
    // "failed to sync configmap cache" right after the ConfigMap was created, usually pass.
    const definitive = /not found|couldn't find key/i.test(waiting?.message ?? '');
    return { ...base, kind: 'config', message: `${reason} (${label}): ${waiting?.message ?? ''}`.trim(), ...retriedUnless(definitive) };
  }
  return undefined;
}

/** The first problem found on a pod, or undefined when it is fine or still starting normally. */
export function diagnosePod(pod: KObject, policy: GracePolicy = DEPLOY_GRACE): PodProblem | undefined {
  if (pod.metadata.deletionTimestamp && !policy.graceful) return undefined; // going away: its replacement is what counts
  const p = findProblem(pod, policy);
  return p && !policy.graceful && !p.transient ? { ...p, immediate: true } : p;
}

function restartedTooOften(pod: KObject, cs: ContainerStatus, max: number): PodProblem | undefined {
  if ((cs.restartCount ?? 0) < max || cs.ready) return undefined;
  const base = { pod: pod.metadata.name, namespace: pod.metadata.namespace, container: cs.name };
  return { ...base, kind: 'crash', message: `container ${cs.name} restarted ${cs.restartCount} times and is not ready (crash loop)`, immediate: true };
}

function findProblem(pod: KObject, policy: GracePolicy): PodProblem | undefined {
  const st = pod.status ?? {};
  const name = pod.metadata.name;
  if (st.phase === 'Failed' && policy.failedPhase) {
    return {
      kind: 'pod-failed',
      pod: name,
      namespace: pod.metadata.namespace,
      message: `pod failed: ${st.reason ?? ''} ${st.message ?? ''}`.trim(),
      immediate: true,
    };
  }
  for (const cs of (st.initContainerStatuses ?? []) as ContainerStatus[]) {
    const p = containerProblem(pod, cs, true) ?? (policy.maxRestarts ? restartedTooOften(pod, cs, policy.maxRestarts) : undefined);
    if (p) return p;
  }
  for (const cs of (st.containerStatuses ?? []) as ContainerStatus[]) {
    const p = containerProblem(pod, cs, false) ?? (policy.maxRestarts ? restartedTooOften(pod, cs, policy.maxRestarts) : undefined);
    if (p) return p;
  }
  const sched = (st.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
  if (sched?.status === 'False' && sched.reason === 'Unschedulable') {
    const msg: string = sched.message ?? 'no node fits';
    const volume = /persistentvolumeclaim|volume/i.test(msg);
    return {
      kind: volume ? 'volume' : 'unschedulable',
      pod: name,
      namespace: pod.metadata.namespace,
      message: `${volume ? 'waiting for volume' : 'unschedulable'}: ${msg}`,
      immediate: false,
    };
  }
  return undefined;
}

/** Claim names a pod mounts (to explain a pod stuck on storage). */
export function podClaims(pod: KObject): string[] {
  return ((pod.spec?.volumes ?? []) as any[]).map((v) => v.persistentVolumeClaim?.claimName).filter((x): x is string => Boolean(x));
}

/** Full failure text: the problem plus, for crashes, the last log lines indented. */
export function formatProblem(p: PodProblem, logTail?: string): string {
  const head = `pod ${p.namespace ? `${p.namespace}/` : ''}${p.pod}: ${p.message}`;
  if (!logTail || !logTail.trim()) return head;
  const lines = logTail.trimEnd().split('\n').slice(-20);
  return `${head}\n  last log lines of ${p.container}:\n${lines.map((l) => `    | ${l}`).join('\n')}`;
}
