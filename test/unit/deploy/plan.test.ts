import { applyTiers, kindRank, namespacesOf, prepareObjects, sortForApply, sortForDelete, crdScopes } from '../../../src/deploy/plan';
import { selectorString } from '../../../src/contract';
import { obj } from './fixtures';

describe('apply order', () => {
  const dist = [
    obj('Ingress', 'web'),
    obj('Service', 'web'),
    obj('Deployment', 'web'),
    obj('PodDisruptionBudget', 'web'),
    obj('Secret', 'db'),
    obj('StatefulSet', 'db'),
    obj('ConfigMap', 'web'),
    obj('Namespace', 'shop'),
    obj('Widget', 'w1', {}, 'example.com/v1'),
    obj('CustomResourceDefinition', 'widgets.example.com'),
    obj('ServiceAccount', 'web'),
    obj('PersistentVolumeClaim', 'uploads'),
  ];

  it('puts namespaces, CRDs, identities, config, storage, workloads, services, ingress, policies, custom resources in that order', () => {
    expect(sortForApply(dist).map((o) => o.kind)).toEqual([
      'Namespace',
      'CustomResourceDefinition',
      'ServiceAccount',
      'Secret',
      'ConfigMap',
      'PersistentVolumeClaim',
      'Deployment',
      'StatefulSet',
      'Service',
      'Ingress',
      'PodDisruptionBudget',
      'Widget',
    ]);
  });

  it('keeps dist order within a kind rank (stable)', () => {
    const sorted = sortForApply([obj('ConfigMap', 'b'), obj('Secret', 'a'), obj('ConfigMap', 'a')]);
    expect(sorted.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/b', 'Secret/a', 'ConfigMap/a']);
  });

  it('groups equal ranks into tiers applied in parallel', () => {
    const tiers = applyTiers([obj('Deployment', 'a'), obj('ConfigMap', 'c'), obj('StatefulSet', 'b')]);
    expect(tiers.map((t) => t.map((o) => o.kind))).toEqual([['ConfigMap'], ['Deployment', 'StatefulSet']]);
  });

  it('deletes in reverse order', () => {
    expect(sortForDelete([obj('Namespace', 'n'), obj('Deployment', 'd'), obj('Ingress', 'i')]).map((o) => o.kind)).toEqual([
      'Ingress',
      'Deployment',
      'Namespace',
    ]);
  });

  it('ranks unknown kinds last', () => {
    expect(kindRank('Widget')).toBeGreaterThan(kindRank('PodDisruptionBudget'));
  });
});

describe('prepareObjects', () => {
  const isNamespaced = (_v: string, kind: string): boolean => !['Namespace', 'ClusterRole'].includes(kind);

  it('fills the namespace for namespaced kinds only and ensures the app label', () => {
    const out = prepareObjects(
      [
        obj('ConfigMap', 'c'),
        obj('ConfigMap', 'd', { metadata: { name: 'd', namespace: 'other' } }),
        obj('ClusterRole', 'r', { metadata: { name: 'r', namespace: 'bogus' } }),
      ],
      { app: 'demo', namespace: 'team', isNamespaced },
    );
    expect(out.map((o) => o.metadata.namespace)).toEqual(['team', 'other', undefined]);
    expect(out.every((o) => o.metadata.labels?.['berth.dev/app'] === 'demo')).toBe(true);
  });

  it('does not modify its input', () => {
    const input = obj('ConfigMap', 'c');
    prepareObjects([input], { app: 'demo', namespace: 'x', isNamespaced });
    expect(input.metadata.namespace).toBeUndefined();
    expect(input.metadata.labels).toBeUndefined();
  });

  it('rejects an object declared twice', () => {
    expect(() => prepareObjects([obj('ConfigMap', 'c'), obj('ConfigMap', 'c')], { app: 'demo', namespace: 'x', isNamespaced })).toThrow(
      /declares ConfigMap c twice/,
    );
  });

  it('lists the namespaces a deploy touches', () => {
    expect(namespacesOf([obj('ConfigMap', 'a', { metadata: { name: 'a', namespace: 'b' } })], 'default')).toEqual(['b', 'default']);
  });
});

describe('selectorString', () => {
  it('renders matchLabels and matchExpressions', () => {
    expect(
      selectorString({
        matchLabels: { app: 'web', tier: 'front' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'Exists' },
          { key: 'y', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier=front,env in (a,b),x,!y');
  });
  it('is empty without a selector', () => {
    expect(selectorString(undefined)).toBe('');
  });
});

describe('crdScopes', () => {
  it('maps the CRD kinds in dist to their scope', () => {
    const crd = obj('CustomResourceDefinition', 'widgets.example.com', {
      spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget' }, versions: [{ name: 'v1' }] },
    });
    expect(crdScopes([crd]).get('example.com/v1|Widget')).toBe(true);
  });
});
