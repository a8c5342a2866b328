/**
 * Which busybox image the in-cluster traffic probe runs. Chosen from the cluster, not from the environment:
 * an image the nodes already hold starts without a pull (and is the only choice on an offline cluster such as
 * berth's local one); otherwise the public image, which a cluster with internet pulls. `--probe-image` wins.
 */

/** The parts of a Node that matter here (`status.images` is what the kubelet reports it holds). */
export interface NodeImages {
  name: string;
  schedulable: boolean;
  images: string[];
}

export const PUBLIC_PROBE_IMAGE = 'busybox:1.36';

export interface ProbeImageChoice {
  image: string;
  why: string;
}

const BUSYBOX_TAGGED = /(^|\/)busybox:[^@/]+$/;

/** Registry part of an image reference (`docker.io` when it has none), to prefer the registry the app uses. */
export function registryOf(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

export function chooseProbeImage(o: { override?: string; nodes: NodeImages[]; deployedImages: string[] }): ProbeImageChoice {
  if (o.override) return { image: o.override, why: '--probe-image' };
  const nodes = o.nodes.filter((n) => n.schedulable);
  const onNodes = new Map<string, number>();
  for (const n of nodes) for (const img of new Set(n.images.filter((i) => BUSYBOX_TAGGED.test(i)))) onNodes.set(img, (onNodes.get(img) ?? 0) + 1);
  if (onNodes.size === 0) return { image: PUBLIC_PROBE_IMAGE, why: 'no busybox image on the nodes: pulled from the public registry' };
  const appRegistries = new Set(o.deployedImages.map(registryOf));
  const ranked = [...onNodes.entries()].sort(
    ([a, na], [b, nb]) =>
      nb - na || // on the most nodes (no pull wherever the probe lands)
      Number(appRegistries.has(registryOf(b))) - Number(appRegistries.has(registryOf(a))) || // the app's own registry
      (a < b ? -1 : a > b ? 1 : 0),
  );
  const [image, count] = ranked[0];
  return { image, why: `already on ${count} of ${nodes.length} schedulable node(s)` };
}

/** NodeImages from Node objects as the API returns them. */
export function nodeImagesOf(
  nodes: {
    metadata: { name?: string };
    spec?: { unschedulable?: boolean; taints?: { effect?: string }[] };
    status?: { images?: { names?: string[] }[] };
  }[],
): NodeImages[] {
  // The probe pod tolerates no taint: a cordoned node or one tainted NoSchedule/NoExecute (a control plane) never runs it.
  const repels = (t: { effect?: string }): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
  return nodes.map((n) => ({
    name: n.metadata.name ?? '',
    schedulable: !n.spec?.unschedulable && !(n.spec?.taints ?? []).some(repels),
    images: (n.status?.images ?? []).flatMap((i) => i.names ?? []),
  }));
}
