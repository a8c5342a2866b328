import type { V1Node, V1PersistentVolume, V1Pod } from '@kubernetes/client-node';
import { volumeNode } from '../../kube/volume-node';

/**
 * Where things run, from Node, Pod and PersistentVolume objects (pure; unit-tested):
 * which nodes can take pods, which node a check should disrupt, and which volumes
 * are tied to one node.
 */

export function nodeName(n: V1Node): string {
  return n.metadata?.name ?? '';
}

export function isNodeReady(n: V1Node): boolean {
  return !!n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Ready, not cordoned, and without a NoSchedule/NoExecute taint (which ordinary pods do not tolerate). */
export function isSchedulable(n: V1Node): boolean {
  if (!isNodeReady(n) || n.spec?.unschedulable) return false;
  return !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
}

export function schedulableNodes(nodes: V1Node[]): string[] {
  return nodes.filter(isSchedulable).map(nodeName).sort();
}

/** Why a node check cannot run here, or undefined when there are at least two schedulable nodes. */
export function tooFewNodes(nodes: V1Node[]): string | undefined {
  const ok = schedulableNodes(nodes);
  if (ok.length >= 2) return undefined;
  const others = nodes.filter((n) => !isSchedulable(n)).map(nodeName);
  return `needs at least 2 schedulable nodes; the cluster has ${ok.length} (${ok.join(', ') || 'none'})${others.length ? `, not schedulable: ${others.join(', ')}` : ''}`;
}

/** Node name -> names of the given pods bound to it. */
export function podsByNode(pods: V1Pod[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node) continue;
    m.set(node, [...(m.get(node) ?? []), p.metadata!.name!].sort());
  }
  return m;
}

/**
 * The node to drain or stop: one holding web pods, among `allowed` nodes. Prefer a node that
 * holds none of `avoid` (e.g. the database's node: losing it too would measure the database, not
 * the web tier), then the one with the most web pods, then by name (stable choice).
 */
export function pickNode(webPods: V1Pod[], allowed: (node: string) => boolean, avoid: Set<string> = new Set()): string | undefined {
  const candidates = [...podsByNode(webPods).entries()].filter(([node]) => allowed(node));
  candidates.sort(([a, pa], [b, pb]) => Number(avoid.has(a)) - Number(avoid.has(b)) || pb.length - pa.length || a.localeCompare(b));
  return candidates[0]?.[0];
}

/** A volume that lives on one node's disk (local-path, local, hostPath): the node and why. */
export interface NodeLocalVolume {
  node: string;
  kind: string;
}

/**
 * The node a PersistentVolume is tied to, when it is node-local: a required node affinity on
 * kubernetes.io/hostname with one value (what local-path and `local` volumes carry), or hostPath.
 */
export function nodeLocalVolume(pv: V1PersistentVolume, podNode?: string): NodeLocalVolume | undefined {
  const kind = pv.spec?.storageClassName || (pv.spec?.local ? 'local' : pv.spec?.hostPath ? 'hostPath' : 'no storage class');
  const pinned = volumeNode(pv);
  if (pinned) return { node: pinned, kind };
  if (pv.spec?.hostPath && podNode) return { node: podNode, kind: 'hostPath' };
  return undefined;
}

/** What verify says about a database whose volume is on one node. */
export function nodeLocalStatement(db: string, v: NodeLocalVolume): string {
  return `${db}'s volume is on node ${v.node} (${v.kind}): while that node is down the database is unavailable; data returns with the node`;
}
