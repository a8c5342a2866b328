/**
 * kind (Kubernetes in Docker) helpers: a cluster config whose node publishes
 * the ingress ports 80/443 on the host (or other host ports) and carries
 * `ingress-ready=true` (the label the ingress controller schedules on, see
 * kind-ingress.ts), the `kind create cluster` command line, and image loading.
 */
import { stringify } from 'yaml';
import { toolWorks, ToolCheck } from './tools';
import { UsageError } from '../errors';

export interface KindClusterOptions {
  /** Cluster name (kubeconfig context becomes kind-<name>). Default "berth". */
  name?: string;
  /** Host port for HTTP ingress (container port 80). Default 80. */
  httpPort?: number;
  /** Host port for HTTPS ingress (container port 443). Default 443. */
  httpsPort?: number;
  /** Extra worker nodes (replicas spread across nodes). Default 0. */
  workers?: number;
  /** kindest/node image, e.g. kindest/node:v1.33.1. Default: kind's own. */
  nodeImage?: string;
  /** Host address the ports bind to. Default 127.0.0.1 (not exposed to the network). */
  listenAddress?: string;
  /** kubeadm config patches (YAML documents, e.g. a ClusterConfiguration naming other images). */
  kubeadmConfigPatches?: string[];
}

export const DEFAULT_KIND_NAME = 'berth';

function checkPort(what: string, p: number): void {
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new UsageError(`kind cluster: ${what} must be a port number 1-65535, got ${p}`);
}

export function kindContextName(name = DEFAULT_KIND_NAME): string {
  return `kind-${name}`;
}

/** The kind Cluster object (v1alpha4). */
export function kindConfig(opts: KindClusterOptions = {}): Record<string, unknown> {
  const httpPort = opts.httpPort ?? 80;
  const httpsPort = opts.httpsPort ?? 443;
  checkPort('httpPort', httpPort);
  checkPort('httpsPort', httpsPort);
  if (httpPort === httpsPort) throw new UsageError(`kind cluster: httpPort and httpsPort must differ (both ${httpPort})`);
  const workers = opts.workers ?? 0;
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`kind cluster: workers must be a whole number >= 0, got ${workers}`);
  const name = opts.name ?? DEFAULT_KIND_NAME;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    throw new UsageError(`kind cluster name "${name}" is invalid: use lower-case letters, digits and '-'`);
  }
  const listenAddress = opts.listenAddress ?? '127.0.0.1';
  const image = opts.nodeImage ? { image: opts.nodeImage } : {};
  const controlPlane = {
    role: 'control-plane',
    ...image,
    labels: { 'ingress-ready': 'true' },
    extraPortMappings: [
      { containerPort: 80, hostPort: httpPort, listenAddress, protocol: 'TCP' },
      { containerPort: 443, hostPort: httpsPort, listenAddress, protocol: 'TCP' },
    ],
  };
  const workerNodes = Array.from({ length: workers }, () => ({ role: 'worker', ...image }));
  const patches = opts.kubeadmConfigPatches ?? [];
  patches.forEach((p, i) => {
    if (!/^\s*kind:\s*\S+/m.test(p)) throw new Error(`kind cluster: kubeadm config patch ${i + 1} has no "kind:" line (which kubeadm object does it patch?)`);
  });
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name,
    ...(patches.length ? { kubeadmConfigPatches: patches } : {}),
    nodes: [controlPlane, ...workerNodes],
  };
}

export function kindConfigYaml(opts: KindClusterOptions = {}): string {
  return stringify(kindConfig(opts));
}

/** `kind create cluster` arguments for a config file (the kubeconfig goes to $KUBECONFIG, as kind does). */
export function kindCreateArgs(name: string, configFile: string, waitSeconds = 120): string[] {
  return ['create', 'cluster', '--name', name, '--config', configFile, '--wait', `${waitSeconds}s`];
}

export function kindDeleteArgs(name: string): string[] {
  return ['delete', 'cluster', '--name', name];
}

/** `kind load docker-image`: copies an image from the local Docker engine into every node. */
export function kindLoadArgs(image: string, name = DEFAULT_KIND_NAME): string[] {
  if (!image || /\s/.test(image)) throw new UsageError(`image reference "${image}" is invalid`);
  return ['load', 'docker-image', image, '--name', name];
}

/** kind needs both its CLI and a working Docker engine. */
export function kindAvailable(): ToolCheck {
  const kind = toolWorks('kind', ['version']);
  if (!kind.ok) return kind;
  const docker = toolWorks('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (!docker.ok) return { ok: false, reason: `kind needs a Docker engine: ${docker.reason}` };
  return { ok: true };
}
