/**
 * Turning what the wait saw into the text of a failure or a timeout: the
 * pod problem with the crashed container's last log lines, the claims a
 * pod waits for with their latest warning, and on timeout what is still
 * waiting, the problems seen and the pods' recent warnings.
 */
import { formatProblem, podClaims, PodProblem } from '../../health/diagnose';
import type { Health } from '../../health/readiness';
import type { V1Pod } from '@kubernetes/client-node';
import { describePods } from '../../health/pod-state';
import type { KubeClient } from '../../kube/client';
import type { KObject } from '../../kube/types';
import { DeployFailure, DeployTimeout } from '../errors';

/**
 * The timeout text (pure): each object still waiting with its last state, the pods of each waiting
 * workload as last seen (or that it has none: its controller's warnings then say why), then pod
 * problems and the pods' warnings.
 */
export function timeoutText(
  timeoutMs: number,
  waiting: { name: string; health?: Health }[],
  problems: PodProblem[],
  warnings: string[],
  podsOf: PodsOf[] = [],
  controllerWarnings: string[] = [],
): string {
  const lines = waiting.map((w) => `  ${w.name}: ${w.health?.message ?? 'no status yet'}`);
  const podLines = podsOf.map((w) => `  ${w.workload}: ${w.pods.length ? describePods(w.pods as V1Pod[]) : 'no pods seen'}`);
  const problemLines = problems.map((p) => `  ${formatProblem(p)}`);
  return (
    `timed out after ${Math.round(timeoutMs / 1000)}s waiting for:\n${lines.join('\n')}` +
    (podLines.length ? `\ntheir pods:\n${podLines.join('\n')}` : '') +
    (problemLines.length ? `\npod problems seen:\n${problemLines.join('\n')}` : '') +
    (warnings.length ? `\nrecent warnings of the app's pods:\n${warnings.map((w) => `  ${w}`).join('\n')}` : '') +
    (controllerWarnings.length ? `\nrecent warnings of the workloads' controllers:\n${controllerWarnings.map((w) => `  ${w}`).join('\n')}` : '')
  );
}

/** The pods seen for one workload (named as in the wait's messages), and the workload's namespace. */
export interface PodsOf {
  workload: string;
  /** The workload's own name: its ReplicaSets and pods are named after it. */
  name: string;
  namespace: string;
  pods: KObject[];
}

/** The event that happened last (a list comes in name order, not time order). */
function latest(events: KObject[]): any {
  const at = (e: any): string => e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
  return [...events].sort((a, b) => at(a).localeCompare(at(b))).pop();
}

/** An event's object is the workload itself or, for a Deployment, one of its ReplicaSets (`<name>-<hash>`). */
function ownedBy(o: { kind?: string; name?: string } | undefined, w: PodsOf): boolean {
  if (!o?.name) return false;
  return (o.kind !== 'Pod' && o.name === w.name) || (o.kind === 'ReplicaSet' && o.name.startsWith(`${w.name}-`));
}

/** Latest warning event per pod, for each unready workload's pods (e.g. "Readiness probe failed: ... 503"). */
function latestPodWarnings(unready: PodsOf[], events: Map<string, KObject[]>): string[] {
  const out: string[] = [];
  for (const w of unready) {
    const podEvents = (events.get(w.namespace) ?? []).filter((ev: any) => ev.involvedObject?.kind === 'Pod');
    for (const pod of w.pods) {
      const last = latest(podEvents.filter((ev: any) => ev.involvedObject?.name === pod.metadata.name));
      if (last) out.push(`pod ${pod.metadata.name}: ${last.reason}: ${String(last.message).trim()}`);
    }
  }
  return out.slice(0, 10);
}

/**
 * For workloads without a single pod: the latest warning of the objects named after them (the
 * StatefulSet itself, a Deployment's ReplicaSets), e.g. FailedCreate when a quota, an admission
 * webhook or a missing ServiceAccount refuses the pods.
 */
function latestControllerWarnings(podless: PodsOf[], events: Map<string, KObject[]>): string[] {
  const out: string[] = [];
  for (const w of podless) {
    const last = latest((events.get(w.namespace) ?? []).filter((ev: any) => ownedBy(ev.involvedObject, w)));
    if (last) out.push(`${last.involvedObject.kind} ${last.involvedObject.name}: ${last.reason}: ${String(last.message).trim()}`);
  }
  return out.slice(0, 10);
}

export class Explainer {
  constructor(private readonly client: KubeClient) {}

  /** The timeout error; `state` is read after the warnings arrive, so it is the latest. */
  async timeout(
    timeoutMs: number,
    unreadyPods: PodsOf[],
    state: () => { waiting: { name: string; health?: Health }[]; problems: PodProblem[] },
  ): Promise<DeployTimeout> {
    // One list of Warning events per namespace serves both the pods' and the controllers' warnings.
    const events = await this.warningEvents(unreadyPods).catch(() => new Map<string, KObject[]>());
    const warnings = latestPodWarnings(unreadyPods, events);
    const controllerWarnings = latestControllerWarnings(
      unreadyPods.filter((w) => w.pods.length === 0),
      events,
    );
    const { waiting, problems } = state();
    return new DeployTimeout(timeoutText(timeoutMs, waiting, problems, warnings, unreadyPods, controllerWarnings));
  }

  /** A pod problem that will not pass, with the crashed container's last log lines or the stuck claims. */
  async podFailure(workload: string, problem: PodProblem, pod?: KObject): Promise<DeployFailure> {
    let detail = '';
    if (problem.kind === 'crash' && problem.container && problem.namespace) {
      detail = await this.client
        .logs(problem.namespace, problem.pod, problem.container, { tailLines: 20, previous: true })
        .catch((e) => `(could not read logs: ${(e as Error).message})`);
    }
    let text = formatProblem(problem, detail);
    if (problem.kind === 'volume' && pod) text += await this.claims(pod);
    return new DeployFailure(`${workload}: ${text}`, workload);
  }

  /** A claim with immediate binding that stayed Pending. */
  async unboundClaim(name: string, pvc: KObject, waitedMs: number): Promise<DeployFailure> {
    const d = await this.claim(pvc.metadata.namespace ?? 'default', pvc.metadata.name);
    return new DeployFailure(`${name}: claim does not bind after ${waitedMs / 1000}s${d}`, name);
  }

  /** The Warning events of each namespace that holds an unready workload: one list per namespace. */
  private async warningEvents(unready: PodsOf[]): Promise<Map<string, KObject[]>> {
    const namespaces = [...new Set(unready.map((w) => w.namespace))];
    const lists = await Promise.all(namespaces.map((ns) => this.client.list('v1', 'Event', { namespace: ns, fieldSelector: 'type=Warning' })));
    return new Map(namespaces.map((ns, i) => [ns, lists[i]]));
  }

  /** For a pod stuck on storage: each claim's phase and its latest warning event. */
  private async claims(pod: KObject): Promise<string> {
    const ns = pod.metadata.namespace ?? 'default';
    const lines = await Promise.all(podClaims(pod).map((claim) => this.claim(ns, claim)));
    return lines.join('');
  }

  private async claim(ns: string, claim: string): Promise<string> {
    const pvc = await this.client.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: claim });
    const events = await this.client
      .list('v1', 'Event', { namespace: ns, fieldSelector: `involvedObject.kind=PersistentVolumeClaim,involvedObject.name=${claim}` })
      .catch(() => [] as KObject[]);
    const warn = latest(events.filter((e: any) => e.type === 'Warning'));
    return (
      `\n  PVC ${claim}: ${pvc ? (pvc.status?.phase ?? 'no phase') : 'does not exist'}` +
      (pvc?.spec?.storageClassName ? `, StorageClass ${pvc.spec.storageClassName}` : '') +
      (warn ? ` — ${warn.reason}: ${warn.message}` : '')
    );
  }
}
