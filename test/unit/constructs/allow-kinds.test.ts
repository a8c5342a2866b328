import { ApiObject } from 'cdk8s';
import { build } from '../helpers';

it('allowKinds declares exactly the listed kinds for deploy (annotation berth.dev/allow-kind = the kind)', () => {
  const b = build(
    (chart) => {
      new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
      new ApiObject(chart, 'role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] } as any);
    },
    { allowKinds: ['Namespace'] },
  );
  const ns = b.docs.find((d) => d.kind === 'Namespace');
  const role = b.docs.find((d) => d.kind === 'ClusterRole');
  expect(ns.metadata.annotations).toEqual({ 'berth.dev/allow-kind': 'Namespace' });
  expect(role.metadata.annotations?.['berth.dev/allow-kind']).toBeUndefined();
});
