import * as path from 'node:path';
import { findNodeScript, localClusterDisruptor } from '../../../../src/verify/nodes/disruptor';

test('the local cluster disruptor finds hack/local-cluster/node.sh of this checkout', () => {
  expect(findNodeScript(__dirname)).toBe(path.resolve(__dirname, '../../../../hack/local-cluster/node.sh'));
});

test('it stops only extra nodes of berth-local, as root, and says why not otherwise', () => {
  const d = localClusterDisruptor('berth-local', { script: '/x/node.sh', isRoot: true });
  expect(d.unavailable('berth-local-2')).toBeUndefined();
  expect(d.unavailable('berth-local')).toMatch(/control-plane node; only extra nodes/);
  expect(localClusterDisruptor('kind-kind', { script: '/x/node.sh', isRoot: true }).unavailable('kind-worker')).toMatch(
    /no node disruptor for context kind-kind: berth can stop nodes only on its local cluster/,
  );
  expect(localClusterDisruptor('berth-local', { script: '/x/node.sh', isRoot: false }).unavailable('berth-local-2')).toMatch(/needs root/);
});

test('stop and restore call node.sh crash / restore with the node name', async () => {
  const calls: string[][] = [];
  const d = localClusterDisruptor('berth-local', { script: '/x/node.sh', isRoot: true, run: async (f, a) => (calls.push([f, ...a]), '') });
  await d.stop('berth-local-3');
  await d.restore('berth-local-3');
  expect(calls).toEqual([
    ['bash', '/x/node.sh', 'crash', 'berth-local-3'],
    ['bash', '/x/node.sh', 'restore', 'berth-local-3'],
  ]);
});
