/**
 * The ingress controller `berth cluster create --kind` installs on the node
 * labelled ingress-ready=true (pure part: which controller, and its objects).
 *
 * - `nginx` (default, needs internet): ingress-nginx's own manifest for kind,
 *   pinned to one release. It binds hostPorts 80/443 on the ingress-ready node.
 * - `traefik` with an image the user already has (offline): berth's own
 *   manifest for Traefik on the node's network, ports 80/443, no pulls
 *   (`imagePullPolicy: Never`: the image is loaded into kind first).
 * - `none`: leave it to the user.
 */
import { ManifestError, parseObjects } from '../dist';
import type { KObject } from '../kube/types';
import { UsageError } from '../errors';

/** ingress-nginx's manifest for kind, pinned (its controller binds hostPorts on the ingress-ready node). */
export const INGRESS_NGINX_KIND_MANIFEST =
  'https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.13.3/deploy/static/provider/kind/deploy.yaml';

export type KindIngress = { controller: 'nginx'; manifestUrl: string } | { controller: 'traefik'; image: string } | { controller: 'none' };

/** The label selector matching every object of the installed controller (what to wait on). */
export const INGRESS_SELECTORS = { nginx: 'app.kubernetes.io/name=ingress-nginx', traefik: 'app.kubernetes.io/name=berth-traefik' } as const;

export const INGRESS_CHOICES = ['nginx', 'traefik', 'none'] as const;

/** From the CLI's --ingress and --ingress-image, with the error the user needs when they do not fit. */
export function kindIngressFrom(controller: string, image?: string): KindIngress {
  switch (controller) {
    case 'nginx':
      if (image) throw new UsageError(`--ingress-image is for --ingress traefik (the nginx manifest names its own image), got "${image}"`);
      return { controller: 'nginx', manifestUrl: INGRESS_NGINX_KIND_MANIFEST };
    case 'traefik':
      if (!image || /\s/.test(image)) {
        throw new UsageError('--ingress traefik needs --ingress-image <image>: a Traefik v3 image in your Docker engine (berth loads it into kind)');
      }
      return { controller: 'traefik', image };
    case 'none':
      if (image) throw new UsageError(`--ingress-image "${image}" makes no sense with --ingress none`);
      return { controller: 'none' };
    default:
      throw new UsageError(`--ingress must be one of ${INGRESS_CHOICES.join(', ')}, got "${controller}"`);
  }
}

/** A multi-document manifest (e.g. the downloaded ingress-nginx one) as objects; empty documents dropped. */
export function manifestObjects(text: string, source: string): KObject[] {
  const out = parseObjects(text, source);
  if (out.length === 0) throw new ManifestError(`${source}: no Kubernetes objects in it`);
  return out;
}

const NS = 'berth-ingress';
const LABELS = { 'app.kubernetes.io/name': 'berth-traefik', 'app.kubernetes.io/managed-by': 'berth' };

/**
 * Traefik as the cluster's default IngressClass, on the ingress-ready node's network: kind publishes
 * that node's ports 80/443 on the host. Ingress status gets 127.0.0.1 so readiness checks see an address.
 */
export function traefikObjects(image: string): KObject[] {
  const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: NS } : {}), labels: LABELS });
  const tcp = (port: number) => ({ tcpSocket: { port } });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(NS, false) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('traefik') },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta('berth-traefik', false),
      rules: [
        { apiGroups: [''], resources: ['services', 'endpoints', 'secrets', 'nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta('berth-traefik', false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'berth-traefik' },
      subjects: [{ kind: 'ServiceAccount', name: 'traefik', namespace: NS }],
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { ...meta('traefik', false), annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'traefik.io/ingress-controller' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('traefik'),
      spec: {
        replicas: 1,
        // Host ports: the new pod can only start once the old one let them go.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: 'traefik',
            hostNetwork: true,
            dnsPolicy: 'ClusterFirstWithHostNet',
            nodeSelector: { 'ingress-ready': 'true' },
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [
              {
                name: 'traefik',
                image,
                imagePullPolicy: 'Never',
                args: [
                  '--entrypoints.web.address=:80',
                  '--entrypoints.websecure.address=:443',
                  '--providers.kubernetesingress=true',
                  '--providers.kubernetesingress.ingressendpoint.ip=127.0.0.1',
                  '--global.checknewversion=false',
                  '--global.sendanonymoususage=false',
                ],
                resources: { requests: { cpu: '20m', memory: '64Mi' } },
                readinessProbe: { ...tcp(80), periodSeconds: 2 },
                livenessProbe: { ...tcp(80), initialDelaySeconds: 10, periodSeconds: 10 },
              },
            ],
          },
        },
      },
    },
  ] as KObject[];
}
