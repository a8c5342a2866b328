/**
 * Why a pod does not become ready, from its status alone (pure). The
 * waiting loop calls this on every pod event and stops early on a problem
 * that will not fix itself.
 */
import type { KObject } from './types';

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
}

/** Container waiting reasons that mean a problem (shared with verify's pod checks). */
export const IMAGE_REASONS: ReadonlySet<string> = new Set(['ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'ErrImagePull']);
export const CONFIG_REASONS: ReadonlySet<string> = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
export const CRASH_REASON = 'CrashLoopBackOff';

interface ContainerStatus {
  name: string;
  image?: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
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
    const definitive = reason !== 'ErrImagePull' || /not found|no such host|manifest unknown|unauthorized|denied|invalid reference/i.test(waiting?.message ?? '');
    return {
      ...base,
      kind: 'image',
      image,
      message: `${reason} for image ${image} (${label}): ${waiting?.message ?? 'cannot pull image'}`,
      immediate: definitive,
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
    return { ...base, kind: 'config', message: `${reason} (${label}): ${waiting?.message ?? ''}`.trim(), immediate: definitive };
  }
  return undefined;
}

/** The first problem found on a pod, or undefined when it is fine or still starting normally. */
export function diagnosePod(pod: KObject): PodProblem | undefined {
  const st = pod.status ?? {};
  const name = pod.metadata.name;
  if (st.phase === 'Failed') {
    return {
      kind: 'pod-failed',
      pod: name,
      namespace: pod.metadata.namespace,
      message: `pod failed: ${st.reason ?? ''} ${st.message ?? ''}`.trim(),
      immediate: true,
    };
  }
  for (const cs of (st.initContainerStatuses ?? []) as ContainerStatus[]) {
    const p = containerProblem(pod, cs, true);
    if (p) return p;
  }
  for (const cs of (st.containerStatuses ?? []) as ContainerStatus[]) {
    const p = containerProblem(pod, cs, false);
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
