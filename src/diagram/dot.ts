/**
 * Diagram → Graphviz DOT text. Pure; layout and SVG come from Graphviz
 * itself (render.ts). Top-to-bottom so the picture stays narrow enough for
 * a README column; the cluster is one box, the outside world sits above it.
 */
import type { Diagram, DiagramEdge, DiagramNode, Health, NodeKind, PodGroup } from './types';
import { edgeText } from './types';

// Graphviz sizes boxes from its own Helvetica metrics; browsers draw Helvetica or its metric twin (Arial, Liberation Sans).
const FONT = 'Helvetica';

/** Fill per kind: traffic blue, workloads green, config yellow, storage purple, outside grey. */
const FILL: Record<NodeKind, string> = {
  user: '#eeeeee',
  'external-db': '#eeeeee',
  ingress: '#dbe9ff',
  service: '#dbe9ff',
  deployment: '#dff3e0',
  statefulset: '#dff3e0',
  pod: '#ffffff',
  configmap: '#fff4cc',
  secret: '#ffe3cc',
  pvc: '#eadcff',
  volume: '#ffd6d6',
};
const BORDER: Record<Health, string> = { ok: '#2e7d32', warn: '#e08a00', bad: '#c62828' };

/** DOT quoted string. */
export function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Text inside an HTML-like label. */
function h(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function nodeLine(n: DiagramNode, indent: string): string {
  const label = `<<b>${h(n.title)}</b>${n.details.map((d) => `<br/>${h(d)}`).join('')}>`;
  const attrs = [
    `id=${q(n.id)}`,
    `class=${q(`node-${n.kind}${n.health ? ` health-${n.health}` : ''}`)}`,
    `label=${label}`,
    `fillcolor=${q(FILL[n.kind])}`,
    ...(n.kind === 'user' ? ['shape=oval'] : []),
    ...(n.kind === 'external-db' || n.kind === 'pvc' ? ['shape=cylinder'] : []),
    ...(n.health ? [`color=${q(BORDER[n.health])}`, 'penwidth=2'] : []),
  ];
  return `${indent}${q(n.id)} [${attrs.join(', ')}];`;
}

/** Graphviz clusters need a node to attach edges to; an empty pod group gets a placeholder. */
function anchorOf(g: PodGroup): string {
  return g.pods[0]?.id ?? `${g.id}:empty`;
}

function groupLines(g: PodGroup, indent: string): string[] {
  const body = g.pods.length ? g.pods.map((p) => nodeLine(p, `${indent}  `)) : [`${indent}  ${q(anchorOf(g))} [label="no pods", shape=plaintext];`];
  return [
    `${indent}subgraph ${q(`cluster_${g.id}`)} {`,
    `${indent}  id=${q(g.id)}; class="pod-group"; label=${q(g.title)}; style="rounded,dashed"; color="#5f8f61";`,
    ...body,
    `${indent}}`,
  ];
}

function edgeLine(e: DiagramEdge, groups: Map<string, PodGroup>): string {
  const from = groups.get(e.from);
  const to = groups.get(e.to);
  const attrs = [
    `id=${q(`edge:${e.from}->${e.to}:${e.label}`)}`,
    `class=${q(`edge-${e.label}`)}`,
    `label=${q(edgeText(e))}`,
    ...(from ? [`ltail=${q(`cluster_${from.id}`)}`] : []),
    ...(to ? [`lhead=${q(`cluster_${to.id}`)}`] : []),
    ...(e.label === 'manages' || e.label === 'url' ? ['style=dashed'] : []),
    ...(e.label === 'externalName' ? ['style=dotted'] : []),
  ];
  return `  ${q(from ? anchorOf(from) : e.from)} -> ${q(to ? anchorOf(to) : e.to)} [${attrs.join(', ')}];`;
}

export function toDot(d: Diagram): string {
  const groups = new Map(d.podGroups.map((g) => [g.id, g]));
  const inside = d.nodes.filter((n) => !n.outside);
  const outside = d.nodes.filter((n) => n.outside);
  const hosts = [...new Set(d.podGroups.map((g) => g.host).filter((x): x is string => !!x))];
  const title = [`berth app ${d.app}`, ...d.notes].map(h).join('<br/>');
  const lines = [
    `digraph ${q(`berth-${d.app}`)} {`,
    `  graph [compound=true, rankdir=TB, nodesep=0.4, ranksep=0.5, fontname=${q(FONT)}, fontsize=12, labelloc=t, label=<<b>${title}</b>>];`,
    `  node [shape=box, style="rounded,filled", fontname=${q(FONT)}, fontsize=10, margin="0.15,0.06", color="#555555"];`,
    `  edge [fontname=${q(FONT)}, fontsize=9, color="#555555", fontcolor="#333333", arrowsize=0.7];`,
    ...outside.map((n) => nodeLine(n, '  ')),
    `  subgraph "cluster_k8s" {`,
    `    id="cluster"; label="Kubernetes cluster"; style="rounded"; color="#326ce5"; fontcolor="#326ce5";`,
    ...inside.map((n) => nodeLine(n, '    ')),
    ...d.podGroups.filter((g) => !g.host).flatMap((g) => groupLines(g, '    ')),
    ...hosts.flatMap((host) => [
      `    subgraph ${q(`cluster_host_${host}`)} {`,
      `      id=${q(`host:${host}`)}; class="k8s-node"; label=${q(`node ${host}`)}; style="rounded,filled"; fillcolor="#f5f9ff"; color="#326ce5";`,
      ...d.podGroups.filter((g) => g.host === host).flatMap((g) => groupLines(g, '      ')),
      `    }`,
    ]),
    `  }`,
    ...d.edges.map((e) => edgeLine(e, groups)),
    '}',
    '',
  ];
  return lines.join('\n');
}
