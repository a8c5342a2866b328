import type { V1Node, V1PersistentVolume, V1Pod } from '@kubernetes/client-node';
import { isSchedulable, nodeLocalStatement, nodeLocalVolume, pickNode, podsByNode, schedulableNodes, tooFewNodes } from '../../../../src/verify/nodes/topology';

function node(name: string, o: { ready?: boolean; cordoned?: boolean; taint?: string } = {}): V1Node {
  return {
    metadata: { name },
    spec: { unschedulable: o.cordoned, taints: o.taint ? [{ key: 'k', effect: o.taint }] : undefined },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  } as V1Node;
}
const pod = (name: string, nodeName?: string): V1Pod => ({ metadata: { name }, spec: { nodeName, containers: [] } }) as V1Pod;

test('schedulable = Ready, not cordoned, no NoSchedule/NoExecute taint', () => {
  expect(isSchedulable(node('a'))).toBe(true);
  expect(isSchedulable(node('a', { ready: false }))).toBe(false);
  expect(isSchedulable(node('a', { cordoned: true }))).toBe(false);
  expect(isSchedulable(node('a', { taint: 'NoSchedule' }))).toBe(false);
  expect(isSchedulable(node('a', { taint: 'PreferNoSchedule' }))).toBe(true);
  expect(schedulableNodes([node('b'), node('a'), node('c', { cordoned: true })])).toEqual(['a', 'b']);
});

test('node checks need two schedulable nodes and say which nodes there are', () => {
  expect(tooFewNodes([node('a'), node('b')])).toBeUndefined();
  expect(tooFewNodes([node('berth-local')])).toBe('needs at least 2 schedulable nodes; the cluster has 1 (berth-local)');
  expect(tooFewNodes([node('n1'), node('n2', { ready: false })])).toBe('needs at least 2 schedulable nodes; the cluster has 1 (n1), not schedulable: n2');
});

test('pickNode prefers a node without the database, then the most web pods, then the name', () => {
  const pods = [pod('w1', 'n1'), pod('w2', 'n2'), pod('w3', 'n2'), pod('pending')];
  expect(podsByNode(pods)).toEqual(
    new Map([
      ['n1', ['w1']],
      ['n2', ['w2', 'w3']],
    ]),
  );
  expect(pickNode(pods, () => true)).toBe('n2');
  expect(pickNode(pods, () => true, new Set(['n2']))).toBe('n1');
  expect(pickNode(pods, (n) => n !== 'n1', new Set(['n2']))).toBe('n2');
  expect(pickNode(pods, () => false)).toBeUndefined();
  expect(pickNode([pod('a', 'z'), pod('b', 'y')], () => true)).toBe('y');
});

test('a local-path volume is tied to the node of its required hostname affinity', () => {
  const pv = {
    spec: {
      storageClassName: 'local-path',
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['berth-local-2'] }] }] } },
    },
  } as V1PersistentVolume;
  const v = nodeLocalVolume(pv)!;
  expect(v).toEqual({ node: 'berth-local-2', kind: 'local-path' });
  expect(nodeLocalStatement('demo-db', v)).toBe(
    "demo-db's volume is on node berth-local-2 (local-path): while that node is down the database is unavailable; data returns with the node",
  );
  expect(nodeLocalVolume({ spec: { storageClassName: 'ebs', csi: { driver: 'ebs', volumeHandle: 'x' } } } as V1PersistentVolume)).toBeUndefined();
  expect(nodeLocalVolume({ spec: { hostPath: { path: '/x' } } } as V1PersistentVolume, 'n3')).toEqual({ node: 'n3', kind: 'hostPath' });
});
