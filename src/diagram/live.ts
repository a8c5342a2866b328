/**
 * Diagram + live objects → the same picture with the cluster's state on it:
 * real pods (grouped by the node they run on), ready or not, restarts; each
 * Service's ready endpoints; each PVC's phase and node. Pure: the objects come
 * from fetch-live.ts (or recorded fixtures in tests).
 */
import type { V1Pod } from '@kubernetes/client-node';
import { isReady, restarts as restartCount } from '../health/pod-state';
import type { KObject } from '../kube/types';
import { volumeNode } from '../kube/volume-node';
import { podGroupId } from './model';
import type { Diagram, DiagramEdge, DiagramNode, Health, PodGroup } from './types';

export interface LiveState {
  readonly context: string;
  readonly namespace: string;
  /** When the objects were read (ISO); shown in the title. */
  readonly at: string;
  readonly pods: KObject[];
  /** discovery.k8s.io/v1 EndpointSlices; `endpoints` (v1 Endpoints) is the fallback. */
  readonly endpointSlices: KObject[];
  readonly endpoints?: KObject[];
  readonly pvcs: KObject[];
  readonly pvs: KObject[];
}

const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface PodView {
  node: DiagramNode;
  host?: string;
  /** StatefulSet ordinal, so per-pod edges (volume claims) land on the right pod. */
  ordinal?: number;
}

/** Does this pod belong to the workload node `deployment:x` / `statefulset:x`? By owner, not by guessing names. */
function ownedBy(pod: KObject, workloadId: string): boolean {
  const [kind, name] = [workloadId.slice(0, workloadId.indexOf(':')), workloadId.slice(workloadId.indexOf(':') + 1)];
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return false;
  if (kind === 'statefulset') return owner.kind === 'StatefulSet' && owner.name === name;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  return owner.kind === 'ReplicaSet' && (hash ? owner.name === `${name}-${hash}` : owner.name.startsWith(`${name}-`));
}

function podView(pod: KObject, workloadId: string): PodView {
  const name = pod.metadata.name;
  const statuses = (pod.status?.containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[];
  const ready = isReady(pod as V1Pod); // false while terminating, which is shown first anyway
  const restarts = restartCount(pod as V1Pod);
  const waiting = statuses.map((s) => s.state?.waiting?.reason).find(Boolean);
  const deleting = !!pod.metadata.deletionTimestamp;
  const state = deleting ? 'terminating' : ready ? 'ready' : `not ready${waiting ? ` (${waiting})` : pod.status?.phase ? ` (${pod.status.phase})` : ''}`;
  const health: Health = deleting ? 'warn' : ready ? (restarts > 0 ? 'warn' : 'ok') : 'bad';
  const host: string | undefined = pod.spec?.nodeName || undefined;
  const ordinalMatch = workloadId.startsWith('statefulset:') ? /-(\d+)$/.exec(name) : null;
  const ordinal = ordinalMatch ? Number(ordinalMatch[1]) : undefined;
  const workload = workloadId.slice(workloadId.indexOf(':') + 1);
  return {
    node: {
      id: ordinal !== undefined ? `pod:${workload}:${ordinal}` : `pod:${workload}:${name}`,
      kind: 'pod',
      title: `Pod ${name}`,
      details: [`${state}, restarts ${restarts}`, host ? `on ${host}` : 'not scheduled'],
      health,
    },
    host,
    ordinal,
  };
}

function endpointCounts(service: string, live: LiveState): { ready: number; total: number } | undefined {
  const slices = live.endpointSlices.filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === service);
  if (slices.length > 0) {
    const eps = slices.flatMap((s) => (s as { endpoints?: { conditions?: { ready?: boolean } }[] }).endpoints ?? []);
    return { ready: eps.filter((e) => e.conditions?.ready !== false).length, total: eps.length };
  }
  const ep = live.endpoints?.find((e) => e.metadata.name === service) as { subsets?: { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] } | undefined;
  if (!ep) return undefined;
  const ready = (ep.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  return { ready, total: ready + (ep.subsets ?? []).reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0) };
}

/** The node a PVC's volume lives on: the PV's required node affinity, else the scheduler's selected-node annotation. */
export function pvcHost(pvc: KObject, pvs: KObject[]): string | undefined {
  const pv = pvs.find((p) => p.metadata.name === pvc.spec?.volumeName);
  return volumeNode(pv) ?? pvc.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
}

function withNode(n: DiagramNode, extra: string[], health: Health): DiagramNode {
  return { ...n, details: [...n.details.filter((d) => d !== 'not in dist/'), ...extra], health };
}

export function withLiveState(d: Diagram, live: LiveState, verdict?: string): Diagram {
  const groups: PodGroup[] = [];
  /** Static group id → the live group ids that replace it (an edge to one becomes an edge to each). */
  const regrouped = new Map<string, string[]>();
  const readyByWorkload = new Map<string, number>();
  for (const g of d.podGroups) {
    const views = live.pods.filter((p) => ownedBy(p, g.workload)).map((p) => podView(p, g.workload));
    const workload = g.workload.slice(g.workload.indexOf(':') + 1);
    readyByWorkload.set(g.workload, views.filter((v) => v.node.health !== 'bad' && !v.node.details[0].startsWith('terminating')).length);
    // StatefulSet ordinals dist/ expects but the cluster lacks stay visible, as missing.
    for (const p of g.pods) {
      if (/^pod:[^:]+:\d+$/.test(p.id) && g.workload.startsWith('statefulset:') && !views.some((v) => v.node.id === p.id)) {
        views.push({ node: { ...p, details: ['missing'], health: 'bad' } });
      }
    }
    const hosts = [...new Set(views.map((v) => v.host))].sort((a, b) => (a ?? '~').localeCompare(b ?? '~'));
    if (hosts.length === 0) hosts.push(undefined);
    const ids: string[] = [];
    for (const host of hosts) {
      const pods = views
        .filter((v) => v.host === host)
        .sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0) || a.node.title.localeCompare(b.node.title))
        .map((v) => v.node);
      const id = podGroupId(workload, host);
      ids.push(id);
      groups.push({ id, title: host ? `pods of ${workload}` : `pods of ${workload} (not scheduled)`, workload: g.workload, host, pods });
    }
    regrouped.set(g.id, ids);
  }

  const podIds = new Set(groups.flatMap((g) => g.pods.map((p) => p.id)));
  const expand = (id: string) => regrouped.get(id) ?? [id];
  const edges: DiagramEdge[] = d.edges
    .flatMap((e) => expand(e.from).flatMap((from) => expand(e.to).map((to) => ({ ...e, from, to }))))
    .filter((e) => !e.from.startsWith('pod:') || podIds.has(e.from));

  const nodes = d.nodes.map((n): DiagramNode => {
    const name = n.title.slice(n.title.indexOf(' ') + 1);
    if (n.kind === 'service' && !n.details.some((x) => x.startsWith('ExternalName'))) {
      const c = endpointCounts(name, live);
      if (!c) return withNode(n, ['endpoints: none'], 'bad');
      return withNode(n, [`endpoints: ${c.ready}/${c.total} ready`], c.ready === 0 ? 'bad' : c.ready < c.total ? 'warn' : 'ok');
    }
    if (n.kind === 'pvc') {
      const pvc = live.pvcs.find((p) => p.metadata.name === name);
      if (!pvc) return withNode(n, ['not in the cluster'], 'bad');
      const phase: string = pvc.status?.phase ?? 'Unknown';
      const host = pvcHost(pvc, live.pvs);
      return withNode(n, [`${phase}${host ? ` on ${host}` : ''}`], phase === 'Bound' ? 'ok' : phase === 'Pending' ? 'warn' : 'bad');
    }
    if (n.kind === 'deployment' || n.kind === 'statefulset') {
      const want = Number(/^replicas: (\d+)/.exec(n.details[0] ?? '')?.[1] ?? 0);
      const ready = readyByWorkload.get(n.id) ?? 0;
      return withNode(n, [`ready: ${ready}/${want}`], ready >= want ? 'ok' : ready > 0 ? 'warn' : 'bad');
    }
    return n;
  });

  const notes = [`live: context ${live.context}, namespace ${live.namespace}, ${live.at}`, ...(verdict ? [verdict] : [])];
  return { ...d, nodes, podGroups: groups, edges, notes: [...d.notes, ...notes] };
}
