/**
 * The architecture picture as data: boxes, pod groups and labelled edges.
 * Built from dist/ (model.ts), optionally annotated with live state
 * (live.ts), then drawn (dot.ts → SVG, mermaid.ts). No I/O here.
 */

export type NodeKind = 'user' | 'ingress' | 'service' | 'deployment' | 'statefulset' | 'pod' | 'configmap' | 'secret' | 'pvc' | 'volume' | 'external-db';

/** What an edge means: who reads, selects or reaches what. */
export type EdgeLabel =
  | 'request' // the outside user reaches the Ingress or a NodePort/LoadBalancer Service
  | 'backend' // Ingress rule → Service
  | 'selector' // Service → the pods its selector matches
  | 'manages' // Deployment/StatefulSet → its pods
  | 'envFrom' // pod reads a whole ConfigMap
  | 'secretKeyRef' // pod reads Secret keys into env
  | 'configMapKeyRef' // pod reads one ConfigMap key
  | 'volume' // pod mounts a PVC or emptyDir
  | 'url' // the database URL in a ConfigMap names a Service
  | 'externalName'; // ExternalName Service → a host outside the cluster

/** Live health of a box, when known. */
export type Health = 'ok' | 'warn' | 'bad';

export interface DiagramNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** First line, e.g. `Service demo-web`. */
  readonly title: string;
  /** Further lines: type and port, replicas, key names, size. Never a secret value. */
  readonly details: string[];
  /** Outside the cluster (the user, an external database). */
  readonly outside?: boolean;
  readonly health?: Health;
}

/** The pods of one workload (on one Kubernetes node, when live state says where). */
export interface PodGroup {
  readonly id: string;
  readonly title: string;
  /** Id of the Deployment/StatefulSet node. */
  readonly workload: string;
  /** Kubernetes node the pods run on (live only). */
  readonly host?: string;
  readonly pods: DiagramNode[];
}

export interface DiagramEdge {
  /** A node id or a pod group id. */
  readonly from: string;
  readonly to: string;
  readonly label: EdgeLabel;
  /** Extra text after the label, e.g. the key names read. */
  readonly detail?: string;
}

export interface Diagram {
  readonly app: string;
  readonly nodes: DiagramNode[];
  readonly podGroups: PodGroup[];
  readonly edges: DiagramEdge[];
  /** Free text shown under the title (live: when and from which context; verify verdict). */
  readonly notes: string[];
}

/** Label then detail on a second line: long key lists would push edges apart. */
export function edgeText(e: DiagramEdge): string {
  return e.detail ? `${e.label}\n${e.detail}` : e.label;
}
