import { UsageError } from '../errors';
/**
 * minikube helpers: start a profile with the ingress addon, load local
 * images into it. The kubeconfig context is the profile name.
 */
export const DEFAULT_MINIKUBE_PROFILE = 'berth';

export interface MinikubeStartOptions {
  profile?: string;
  /** e.g. v1.33.1; default: minikube's. */
  kubernetesVersion?: string;
  /** docker, podman, kvm2, ...; default: minikube's choice. */
  driver?: string;
  nodes?: number;
}

export function minikubeStartArgs(opts: MinikubeStartOptions = {}): string[] {
  const args = ['start', '-p', opts.profile ?? DEFAULT_MINIKUBE_PROFILE, '--addons=ingress'];
  if (opts.kubernetesVersion) args.push(`--kubernetes-version=${opts.kubernetesVersion}`);
  if (opts.driver) args.push(`--driver=${opts.driver}`);
  if (opts.nodes !== undefined) {
    if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new UsageError(`minikube: nodes must be >= 1, got ${opts.nodes}`);
    args.push(`--nodes=${opts.nodes}`);
  }
  return args;
}

/** `minikube image load`: copies a local image (Docker engine or tarball) into the cluster's runtime. */
export function minikubeLoadArgs(image: string, profile = DEFAULT_MINIKUBE_PROFILE): string[] {
  if (!image || /\s/.test(image)) throw new UsageError(`image reference "${image}" is invalid`);
  return ['image', 'load', image, '-p', profile];
}

/** minikube's ingress addon answers on the node IP (`minikube ip`), not on localhost. */
export function minikubeIngressHint(profile = DEFAULT_MINIKUBE_PROFILE): string {
  return `ingress: http://$(minikube ip -p ${profile}) with the Host header, or add the host to /etc/hosts`;
}
