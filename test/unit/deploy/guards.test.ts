import { RefusedError } from '../../../src/errors';
import { checkKinds, checkOwnership, checkPruneGuard, ownershipConflicts, undeclaredKinds } from '../../../src/deploy/guards';
import { keyOf, refOf } from '../../../src/kube/types';
import { obj } from './fixtures';

const live = (...objs: ReturnType<typeof obj>[]) => new Map(objs.map((o) => [keyOf(refOf(o)), o]));
const labelled = (kind: string, name: string, app?: string) =>
  obj(kind, name, { metadata: { name, namespace: 'ns', ...(app ? { labels: { 'berth.dev/app': app } } : {}) } });

describe('prune guard', () => {
  const web = labelled('Deployment', 'web', 'demo');
  const cm = labelled('ConfigMap', 'cfg', 'demo');

  it('refuses to prune everything when the manifest is empty, naming file, count and objects', () => {
    const run = () => checkPruneGuard({ app: 'demo', file: 'dist/demo.k8s.yaml', desired: [], toDelete: [web, cm], allowEmptyPrune: false });
    expect(run).toThrow(RefusedError);
    expect(run).toThrow(/dist\/demo\.k8s\.yaml has no objects, so prune would delete all 2 object\(s\) of app demo: Deployment ns\/web, ConfigMap ns\/cfg/);
    try {
      run();
    } catch (e) {
      expect((e as RefusedError).hint).toContain('--allow-empty-prune');
      expect((e as RefusedError).kind).toBe('refused');
    }
  });

  it('refuses when dist lost every workload the cluster has', () => {
    expect(() => checkPruneGuard({ app: 'demo', file: 'f', desired: [cm], toDelete: [web], allowEmptyPrune: false })).toThrow(
      /no workloads, so prune would delete every workload of app demo: Deployment ns\/web/,
    );
  });

  it('allows ordinary prunes, an explicit flag, and an empty manifest with nothing to prune', () => {
    expect(() =>
      checkPruneGuard({ app: 'demo', file: 'f', desired: [web], toDelete: [labelled('Deployment', 'old', 'demo')], allowEmptyPrune: false }),
    ).not.toThrow();
    expect(() => checkPruneGuard({ app: 'demo', file: 'f', desired: [], toDelete: [web], allowEmptyPrune: true })).not.toThrow();
    expect(() => checkPruneGuard({ app: 'demo', file: 'f', desired: [], toDelete: [], allowEmptyPrune: false })).not.toThrow();
    // Config only pruned while a workload stays: fine.
    expect(() => checkPruneGuard({ app: 'demo', file: 'f', desired: [web], toDelete: [cm], allowEmptyPrune: false })).not.toThrow();
  });
});

describe('ownership', () => {
  const desired = [labelled('Namespace', 'team', 'demo'), labelled('ConfigMap', 'cfg', 'demo'), labelled('Secret', 's', 'demo')];

  it('finds existing objects without this app label (absent ones and our own are fine)', () => {
    const c = ownershipConflicts('demo', desired, live(labelled('Namespace', 'team'), labelled('ConfigMap', 'cfg', 'demo'), labelled('Secret', 's', 'shop')));
    expect(c.map((x) => [x.obj.kind, x.owner])).toEqual([
      ['Namespace', undefined],
      ['Secret', 'shop'],
    ]);
  });

  it('refuses unlabelled objects unless --adopt, naming them', () => {
    const c = ownershipConflicts('demo', desired, live(labelled('Namespace', 'team')));
    expect(() => checkOwnership('demo', c, false)).toThrow(/Namespace ns\/team\. berth did not create it/);
    expect(() => checkOwnership('demo', c, true)).not.toThrow();
  });

  it("never takes another app's object, even with --adopt", () => {
    const c = ownershipConflicts('demo', desired, live(labelled('Secret', 's', 'shop')));
    expect(() => checkOwnership('demo', c, true)).toThrow(/Secret ns\/s already exists and belongs to app shop/);
  });
});

describe('declared kinds', () => {
  it("refuses kinds berth's constructs never make unless the object declares its own kind", () => {
    const crb = obj('ClusterRoleBinding', 'admin', {}, 'rbac.authorization.k8s.io/v1');
    const ns = obj('Namespace', 'team', { metadata: { name: 'team', annotations: { 'berth.dev/allow-kind': 'Namespace' } } });
    const wrong = obj('ClusterRole', 'r', { metadata: { name: 'r', annotations: { 'berth.dev/allow-kind': 'Namespace' } } }, 'rbac.authorization.k8s.io/v1');
    expect(undeclaredKinds([obj('Deployment', 'd'), obj('Secret', 's'), crb, ns, wrong])).toEqual([crb, wrong]);
    expect(() => checkKinds('demo', 'dist/demo.k8s.yaml', [crb])).toThrow(/kind\(s\) berth's constructs never make: ClusterRoleBinding admin/);
    try {
      checkKinds('demo', 'f', [crb]);
    } catch (e) {
      expect((e as RefusedError).hint).toContain("allowKinds: ['ClusterRoleBinding']");
    }
  });
});
