import { appliedByBerth, kindsToList, planPrune } from '../../../src/deploy/prune';
import { berthApply, controllerUpdate, obj } from './fixtures';

const label = { 'berth.dev/app': 'demo' };
const owned = (kind: string, name: string, extra: Record<string, unknown> = {}, ns = 'default') =>
  obj(kind, name, { metadata: { name, namespace: ns, labels: label, managedFields: berthApply, ...extra } });

describe('planPrune', () => {
  const desired = [owned('Deployment', 'web'), owned('Service', 'web')];
  const opts = { app: 'demo', namespaces: ['default'] };

  it('deletes owned objects gone from dist', () => {
    const plan = planPrune([...desired, owned('Deployment', 'old'), owned('Service', 'old')], desired, opts);
    expect(plan.delete.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/old', 'Service/old']);
  });

  it('never touches objects of another app or without the label', () => {
    const other = obj('Deployment', 'x', { metadata: { name: 'x', namespace: 'default', labels: { 'berth.dev/app': 'shop' }, managedFields: berthApply } });
    const unlabelled = obj('Deployment', 'y', { metadata: { name: 'y', namespace: 'default', managedFields: berthApply } });
    const plan = planPrune([other, unlabelled], desired, opts);
    expect(plan.delete).toEqual([]);
  });

  it('keeps PVCs created by a StatefulSet controller (labels inherited from volumeClaimTemplates)', () => {
    const pvc = owned('PersistentVolumeClaim', 'data-db-0', { managedFields: controllerUpdate });
    const plan = planPrune([pvc], desired, opts);
    expect(plan.delete).toEqual([]);
    expect(plan.keep[0].reason).toBe('not-applied-by-berth');
  });

  it('keeps generated credentials, namespaces, children and terminating objects', () => {
    const secret = owned('Secret', 'db-creds', { annotations: { 'berth.dev/generate-keys': 'password' } });
    const ns = obj('Namespace', 'shop', { metadata: { name: 'shop', labels: label, managedFields: berthApply } });
    const child = owned('ConfigMap', 'child', { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'p', uid: '1', controller: true }] });
    const dying = owned('ConfigMap', 'dying', { deletionTimestamp: '2026-01-01T00:00:00Z' });
    const plan = planPrune([secret, ns, child, dying], desired, opts);
    expect(plan.delete).toEqual([]);
    expect(plan.keep.map((k) => k.reason).sort()).toEqual(['controlled-by-owner', 'generated-credentials', 'namespace', 'terminating']);
  });

  it('ignores namespaces this deploy does not target', () => {
    const plan = planPrune([owned('Deployment', 'web', {}, 'staging')], desired, opts);
    expect(plan.delete).toEqual([]);
    expect(plan.keep[0].reason).toBe('other-namespace');
  });

  it('matches identity by group, kind, namespace and name, not by apiVersion', () => {
    const v1beta = { ...owned('Deployment', 'web'), apiVersion: 'apps/v1beta2' };
    expect(planPrune([v1beta], desired, opts).delete).toEqual([]);
  });
});

describe('kindsToList', () => {
  it('adds kinds from dist to the default list once', () => {
    const kinds = kindsToList([obj('Widget', 'w', {}, 'example.com/v1'), obj('Deployment', 'd')]);
    expect(kinds.filter((k) => k.kind === 'Deployment')).toHaveLength(1);
    expect(kinds).toContainEqual({ apiVersion: 'example.com/v1', kind: 'Widget' });
  });
});

describe('appliedByBerth', () => {
  it('requires an Apply entry by the berth field manager', () => {
    expect(appliedByBerth(owned('ConfigMap', 'a'))).toBe(true);
    expect(appliedByBerth(owned('ConfigMap', 'a', { managedFields: [{ manager: 'berth', operation: 'Update' }] }))).toBe(false);
    expect(appliedByBerth(owned('ConfigMap', 'a', { managedFields: undefined }))).toBe(false);
  });
});
