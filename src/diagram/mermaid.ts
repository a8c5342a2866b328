/** Diagram → Mermaid flowchart text (GitHub renders it in Markdown). Pure. */
import type { Diagram, DiagramNode, PodGroup } from './types';
import { edgeText } from './types';

/** Mermaid labels: quotes and angle brackets become entities, lines join with <br/>. */
function text(s: string): string {
  return s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

export function toMermaid(d: Diagram): string {
  const ids = new Map<string, string>();
  const idOf = (key: string) => {
    if (!ids.has(key)) ids.set(key, `n${ids.size}`);
    return ids.get(key)!;
  };
  const node = (n: DiagramNode, indent: string) => {
    const label = [n.title, ...n.details].map(text).join('<br/>');
    const [open, close] = n.kind === 'user' ? ['([', '])'] : n.kind === 'pvc' || n.kind === 'external-db' ? ['[(', ')]'] : ['["', '"]'];
    const quoted = open === '["' ? label : `"${label}"`;
    return `${indent}${idOf(n.id)}${open}${quoted}${close}`;
  };
  const group = (g: PodGroup, indent: string) => [
    `${indent}subgraph ${idOf(g.id)}["${text(g.title)}"]`,
    ...g.pods.map((p) => node(p, `${indent}  `)),
    `${indent}end`,
  ];
  const hosts = [...new Set(d.podGroups.map((g) => g.host).filter((x): x is string => !!x))];
  return [
    `%% berth app ${d.app}${d.notes.length ? ` (${d.notes.join('; ')})` : ''}`,
    'flowchart TB',
    ...d.nodes.filter((n) => n.outside).map((n) => node(n, '  ')),
    `  subgraph ${idOf('cluster')}["Kubernetes cluster"]`,
    ...d.nodes.filter((n) => !n.outside).map((n) => node(n, '    ')),
    ...d.podGroups.filter((g) => !g.host).flatMap((g) => group(g, '    ')),
    ...hosts.flatMap((h) => [
      `    subgraph ${idOf(`host:${h}`)}["node ${text(h)}"]`,
      ...d.podGroups.filter((g) => g.host === h).flatMap((g) => group(g, '      ')),
      '    end',
    ]),
    '  end',
    ...d.edges.map((e) => `  ${idOf(e.from)} -->|"${text(edgeText(e)).replace(/\n/g, '<br/>')}"| ${idOf(e.to)}`),
    '',
  ].join('\n');
}
