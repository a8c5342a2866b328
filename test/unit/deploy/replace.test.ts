import { describeReplacement, planReplacements, StorageClassInfo, subsetChanges } from '../../../src/deploy/replace';
import { quantityValue } from '../../../src/kube/quantity';
import { strayPods } from '../../../src/deploy/replace-run';
import { keyOf, KObject, refOf } from '../../../src/kube/types';
import { obj } from './fixtures';

const classes: StorageClassInfo[] = [
  { name: 'local-path', allowVolumeExpansion: false, isDefault: true },
  { name: 'fast', allowVolumeExpansion: true, isDefault: false },
];

function sts(
  o: { size?: string; storageClassName?: string; templates?: boolean; selector?: Record<string, string>; serviceName?: string; policy?: string } = {},
): KObject {
  const spec: any = {
    serviceName: o.serviceName ?? 'db-headless',
    replicas: 1,
    selector: { matchLabels: o.selector ?? { app: 'db' } },
    template: { metadata: { labels: o.selector ?? { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'mongo:7' }] } },
  };
  if (o.policy) spec.podManagementPolicy = o.policy;
  if (o.templates !== false) {
    spec.volumeClaimTemplates = [
      {
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: o.size ?? '1Gi' } },
          ...(o.storageClassName ? { storageClassName: o.storageClassName } : {}),
        },
      },
    ];
  }
  return obj('StatefulSet', 'db', { metadata: { name: 'db', namespace: 'ns' }, spec });
}

/** What the API server returns: defaults filled in that dist never sets. */
function served(o: KObject): KObject {
  const l = structuredClone(o);
  l.spec.podManagementPolicy ??= 'OrderedReady';
  l.spec.revisionHistoryLimit = 10;
  for (const t of l.spec.volumeClaimTemplates ?? []) {
    Object.assign(t, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', status: { phase: 'Pending' } });
    t.spec.volumeMode = 'Filesystem';
  }
  return l;
}

const plan = (desired: KObject, live: KObject) => planReplacements([desired], new Map([[keyOf(refOf(desired)), live]]), classes);

describe('quantities', () => {
  it('compares sizes, not spellings', () => {
    expect(quantityValue('1Gi')).toBe(quantityValue('1024Mi'));
    expect(quantityValue('2G')).toBe(2e9);
    expect(quantityValue('1.5Ki')).toBe(1536);
    expect(quantityValue('lots')).toBeNaN();
  });
});

describe('StatefulSet', () => {
  it('server defaults are not changes; mutable fields are not replacements', () => {
    expect(plan(sts(), served(sts()))).toEqual([]);
    const scaled = sts();
    scaled.spec.replicas = 3;
    scaled.spec.template.spec.containers[0].image = 'mongo:8';
    expect(plan(scaled, served(sts()))).toEqual([]);
    expect(plan(sts({ size: '1024Mi' }), served(sts({ size: '1Gi' })))).toEqual([]);
  });

  it('a larger claim template: orphan re-create, claims expanded in place when the class allows it', () => {
    const [r] = plan(sts({ size: '2Gi', storageClassName: 'fast' }), served(sts({ size: '1Gi', storageClassName: 'fast' })));
    expect(r.strategy).toBe('orphan-recreate');
    expect(r.dataLoss).toEqual([]);
    expect(r.reasons).toEqual(['spec.volumeClaimTemplates[data].spec.resources.requests.storage: "1Gi" → "2Gi"']);
    expect(r.expand).toEqual([{ template: 'data', from: '1Gi', to: '2Gi', expandable: true, storageClass: 'fast' }]);
    expect(describeReplacement(r).join('\n')).toMatch(
      /re-created with propagationPolicy Orphan: its pods and claims are kept[\s\S]*expanded in place 1Gi → 2Gi/,
    );
  });

  it('a larger claim template on a class without expansion: still safe, and says existing claims keep their size', () => {
    const [r] = plan(sts({ size: '5Gi' }), served(sts({ size: '1Gi' })));
    expect(r.strategy).toBe('orphan-recreate');
    expect(r.dataLoss).toEqual([]);
    expect(r.expand[0].expandable).toBe(false);
    expect(r.notes.join()).toMatch(/StorageClass local-path does not allow volume expansion: existing claims keep 1Gi, new replicas get 5Gi/);
  });

  it('switching to ephemeral storage (claim template removed) is data loss', () => {
    const [r] = plan(sts({ templates: false }), served(sts()));
    expect(r.dataLoss.join()).toMatch(/pods stop mounting their claims data-db-N/);
    expect(describeReplacement(r).join('\n')).toContain('DATA LOSS');
  });

  it('a new storage class is data loss: the claims must be deleted', () => {
    const [r] = plan(sts({ storageClassName: 'fast' }), served(sts()));
    expect(r.deleteClaims).toBe(true);
    expect(r.strategy).toBe('recreate');
    expect(r.dataLoss.join()).toMatch(/claims data-db-N and their data are deleted/);
  });

  it('selector, serviceName and podManagementPolicy force an orphan re-create; a new selector also replaces the old pods', () => {
    const [sel] = plan(sts({ selector: { app: 'db2' } }), served(sts()));
    expect(sel.reasons[0]).toMatch(/^spec\.selector: /);
    expect(sel.deleteOldPods).toBe(true);
    expect(sel.dataLoss).toEqual([]);
    const [svc] = plan(sts({ serviceName: 'other' }), served(sts()));
    expect(svc.reasons).toEqual(['spec.serviceName: "db-headless" → "other"']);
    const [pol] = plan(sts({ policy: 'Parallel' }), served(sts()));
    expect(pol.reasons).toEqual(['spec.podManagementPolicy: "OrderedReady" → "Parallel"']);
    expect(pol.deleteOldPods).toBe(false);
  });
});

describe('other kinds', () => {
  it('Deployment selector: re-create', () => {
    const d = obj('Deployment', 'web', { metadata: { name: 'web', namespace: 'ns' }, spec: { selector: { matchLabels: { a: '1' } } } });
    const l = obj('Deployment', 'web', { metadata: { name: 'web', namespace: 'ns' }, spec: { selector: { matchLabels: { a: '1', b: '2' } } } });
    const [r] = plan(d, l);
    expect(r.strategy).toBe('recreate');
    expect(r.reasons[0]).toMatch(/^spec\.selector/);
    expect(plan(d, structuredClone(d))).toEqual([]);
  });

  it('Service: clusterIP changes and switches to ExternalName', () => {
    const live = obj('Service', 's', { metadata: { name: 's', namespace: 'ns' }, spec: { type: 'ClusterIP', clusterIP: '10.0.0.7', ports: [{ port: 80 }] } });
    const headless = obj('Service', 's', { metadata: { name: 's', namespace: 'ns' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } });
    expect(plan(headless, live)[0].reasons).toEqual(['spec.clusterIP: "10.0.0.7" → "None"']);
    const ext = obj('Service', 's', { metadata: { name: 's', namespace: 'ns' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    expect(plan(ext, live)[0].reasons).toEqual(['spec.type: "ClusterIP" → "ExternalName"']);
    const plain = obj('Service', 's', { metadata: { name: 's', namespace: 'ns' }, spec: { type: 'ClusterIP', ports: [{ port: 81 }] } });
    expect(plan(plain, live)).toEqual([]);
  });

  it('Job template: re-create', () => {
    const job = (image: string) =>
      obj('Job', 'j', { metadata: { name: 'j', namespace: 'ns' }, spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, 'batch/v1');
    expect(plan(job('b'), job('a'))[0].reasons).toEqual(['spec.template.spec.containers[0].image: "a" → "b"']);
  });

  it('PersistentVolumeClaim: growing on an expandable class is an in-place update; anything else loses data', () => {
    const pvc = (size: string, sc = 'fast', modes = ['ReadWriteOnce']) =>
      obj('PersistentVolumeClaim', 'p', {
        metadata: { name: 'p', namespace: 'ns' },
        spec: { storageClassName: sc, accessModes: modes, resources: { requests: { storage: size } } },
      });
    expect(plan(pvc('2Gi'), pvc('1Gi'))).toEqual([]);
    expect(plan(pvc('2Gi', 'local-path'), pvc('1Gi', 'local-path'))[0].dataLoss.join()).toMatch(/does not allow volume expansion/);
    expect(plan(pvc('1Gi'), pvc('2Gi'))[0].dataLoss.join()).toMatch(/cannot shrink/);
    expect(plan(pvc('1Gi', 'fast', ['ReadWriteMany']), pvc('1Gi'))[0].dataLoss.join()).toMatch(/cannot change anything but its size/);
  });
});

describe('helpers', () => {
  it('subsetChanges ignores fields only the live object has', () => {
    expect(subsetChanges({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2], d: 3 }, e: 4 }, 'spec')).toEqual([]);
    expect(subsetChanges({ b: { c: [1] } }, { b: { c: [1, 2] } }, 'spec')).toEqual(['spec.b.c: [1,2] → [1]']);
  });

  it('stray pods: named like the StatefulSet, no controller, not matched by its selector', () => {
    const set = sts({ selector: { app: 'db2' } });
    const pod = (name: string, labels: Record<string, string>, controlled = false) =>
      obj('Pod', name, {
        metadata: {
          name,
          namespace: 'ns',
          labels,
          ...(controlled ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] } : {}),
        },
      });
    const pods = [
      pod('db-0', { app: 'db' }),
      pod('db-1', { app: 'db2' }),
      pod('db-2', { app: 'db' }, true),
      pod('dbx-0', { app: 'db' }),
      pod('db-web', { app: 'db' }),
    ];
    expect(strayPods(set, pods).map((p) => p.metadata.name)).toEqual(['db-0']);
  });
});
