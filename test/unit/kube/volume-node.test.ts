import { volumeNode } from '../../../src/kube/volume-node';

const pv = (...exprs: { key: string; operator: string; values?: string[] }[]) => ({
  spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: exprs }] } } },
});

describe('volumeNode: the one node a PersistentVolume is pinned to', () => {
  test('hostname In one node (local-path, local volumes)', () => {
    expect(volumeNode(pv({ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-2'] }))).toBe('node-2');
  });
  test('usable from several nodes, any node but one, or by another label: not pinned', () => {
    expect(volumeNode(pv({ key: 'kubernetes.io/hostname', operator: 'In', values: ['a', 'b'] }))).toBeUndefined();
    expect(volumeNode(pv({ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['a'] }))).toBeUndefined();
    expect(volumeNode(pv({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z1'] }))).toBeUndefined();
  });
  test('no affinity, or no volume at all', () => {
    expect(volumeNode({ spec: {} })).toBeUndefined();
    expect(volumeNode(undefined)).toBeUndefined();
  });
});
