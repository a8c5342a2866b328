import { diffValues, formatDiffs, maskSecret, normalizeForDiff, objectDiff } from '../../../src/deploy/diff';
import { obj } from './fixtures';

const live = () =>
  obj('Deployment', 'web', {
    metadata: {
      name: 'web',
      namespace: 'default',
      resourceVersion: '12',
      generation: 3,
      uid: 'u',
      creationTimestamp: 'then',
      managedFields: [{ manager: 'berth' }],
      annotations: { 'deployment.kubernetes.io/revision': '3' },
    },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'a:1' }] } } },
    status: { readyReplicas: 2 },
  });

describe('diff', () => {
  it('ignores server bookkeeping and status', () => {
    const after = live();
    after.metadata.resourceVersion = '13';
    after.metadata.managedFields = [{ manager: 'berth', operation: 'Apply' }];
    after.status = { readyReplicas: 1 };
    expect(objectDiff('Deployment default/web', live(), after).changes).toEqual([]);
    expect(normalizeForDiff(live()).metadata.annotations).toBeUndefined();
  });

  it('reports leaf changes with paths', () => {
    const after = live();
    after.spec.replicas = 3;
    after.spec.template.spec.containers[0].image = 'a:2';
    expect(objectDiff('Deployment default/web', live(), after).changes).toEqual([
      { path: 'spec.replicas', before: 2, after: 3 },
      { path: 'spec.template.spec.containers[0].image', before: 'a:1', after: 'a:2' },
    ]);
  });

  it('reports array length changes as a whole', () => {
    expect(diffValues({ a: [1] }, { a: [1, 2] })).toEqual([{ path: 'a', before: [1], after: [1, 2] }]);
  });

  it('never shows Secret values', () => {
    const s = obj('Secret', 'db');
    const masked = maskSecret(s, [
      { path: 'data.password', before: 'c2VjcmV0', after: 'bmV3' },
      { path: 'metadata.labels.x', before: 'a', after: 'b' },
    ]);
    expect(masked[0]).toEqual({ path: 'data.password', before: '(hidden)', after: '(hidden)' });
    expect(masked[1].after).toBe('b');
    expect(JSON.stringify(masked)).not.toContain('c2VjcmV0');
  });

  it('formats creates, updates, prunes, or "no changes"', () => {
    expect(formatDiffs([{ name: 'ConfigMap default/a', action: 'update', changes: [] }])).toBe('no changes');
    const text = formatDiffs([
      { name: 'ConfigMap default/a', action: 'create', changes: [] },
      { name: 'Deployment default/web', action: 'update', changes: [{ path: 'spec.replicas', before: 2, after: 3 }] },
      { name: 'Service default/old', action: 'delete', changes: [] },
    ]);
    expect(text).toBe('+ ConfigMap default/a (new)\n~ Deployment default/web\n    spec.replicas: 2 → 3\n- Service default/old (prune)');
  });
});
