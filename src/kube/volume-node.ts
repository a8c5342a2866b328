/** Where a node-local PersistentVolume lives, read one way for verify's node checks and the live diagram. */

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The parts of a PersistentVolume this needs (client-node's V1PersistentVolume and a plain object both fit). */
export interface VolumeAffinity {
  spec?: {
    nodeAffinity?: { required?: { nodeSelectorTerms?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] } };
  };
}

/**
 * The one node a volume is pinned to: a required node affinity `kubernetes.io/hostname In [node]`
 * with a single value (what local-path and `local` volumes carry); undefined when it may be used
 * from more than one node, or from any.
 */
export function volumeNode(pv: VolumeAffinity | undefined): string | undefined {
  for (const term of pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of term.matchExpressions ?? []) {
      if (e.key === HOSTNAME_LABEL && e.operator === 'In' && e.values?.length === 1) return e.values[0];
    }
  }
  return undefined;
}
