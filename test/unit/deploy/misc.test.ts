import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planDestroy, statefulSetClaimNames } from '../../../src/deploy/destroy';
import { parseDuration } from '../../../src/deploy/errors';
import { ingressUrlFor, isControllerNotFound } from '../../../src/deploy/ingress-probe';
import { parseManifest, readDist } from '../../../src/dist';
import { PlainReporter, resolveMode } from '../../../src/deploy/progress';
import { statusRows } from '../../../src/deploy/status';
import { berthApply, obj } from './fixtures';

describe('parseDuration', () => {
  it('parses units', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('2')).toBe(2000);
  });
  it('rejects nonsense with the value', () => expect(() => parseDuration('soon')).toThrow('invalid duration "soon"'));
});

describe('manifests', () => {
  it('parses multi-document YAML and skips empty documents', () => {
    const objs = parseManifest(
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n',
      'f',
      'demo',
    );
    expect(objs.map((o) => o.kind)).toEqual(['ConfigMap', 'Secret']);
  });
  it('names file and document for broken objects', () => {
    expect(() => parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', 'dist/demo.k8s.yaml', 'demo')).toThrow(
      'dist/demo.k8s.yaml: document 1 (ConfigMap) has no metadata.name',
    );
    expect(() => parseManifest('kind: X\nmetadata: {name: a}\n', 'f', 'demo')).toThrow('f: document 1 has no apiVersion');
  });
  it('rejects an object labelled for another app', () => {
    expect(() => parseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {berth.dev/app: shop}}\n', 'f', 'demo')).toThrow(
      /berth.dev\/app=shop.*app "demo"/,
    );
  });
  it('tells to synth when dist is empty or the app is unknown', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dist-'));
    expect(() => readDist(dir)).toThrow(/run berth synth first/);
    fs.writeFileSync(path.join(dir, 'shop.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    expect(() => readDist(dir, 'demo')).toThrow(/no manifest for app "demo".*apps in .*: shop/);
    expect(readDist(dir)[0].app).toBe('shop');
  });
});

describe('destroy plan', () => {
  const label = { 'berth.dev/app': 'demo' };
  const m = (kind: string, name: string, extra: any = {}) =>
    obj(kind, name, { metadata: { name, namespace: 'default', labels: label, managedFields: berthApply }, ...extra });
  const sts = m('StatefulSet', 'db', { spec: { volumeClaimTemplates: [{ metadata: { name: 'data' } }] } });
  const owned = [
    m('Deployment', 'web'),
    sts,
    m('Secret', 'db-creds'),
    m('PersistentVolumeClaim', 'uploads'),
    obj('Namespace', 'shop', { metadata: { name: 'shop', labels: label } }),
  ];
  const claims = [
    obj('PersistentVolumeClaim', 'data-db-0', { metadata: { name: 'data-db-0', namespace: 'default' } }),
    obj('PersistentVolumeClaim', 'data-other-0', { metadata: { name: 'data-other-0', namespace: 'default' } }),
  ];

  it('finds the claims of a StatefulSet by template name', () => {
    expect(statefulSetClaimNames(sts, claims).map((c) => c.metadata.name)).toEqual(['data-db-0']);
  });
  it('deletes everything including StatefulSet claims without --keep-data, dependents first', () => {
    const p = planDestroy(owned, claims, false);
    expect(p.keep).toEqual([]);
    expect(p.remove.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'StatefulSet/db',
      'Deployment/web',
      'PersistentVolumeClaim/data-db-0',
      'PersistentVolumeClaim/uploads',
      'Secret/db-creds',
      'Namespace/shop',
    ]);
  });
  it('keeps PVCs, Secrets and Namespaces with --keep-data', () => {
    const p = planDestroy(owned, claims, true);
    expect(p.remove.map((o) => o.kind)).toEqual(['StatefulSet', 'Deployment']);
    expect(p.keep.map((o) => o.kind).sort()).toEqual(['Namespace', 'PersistentVolumeClaim', 'Secret']);
  });
});

describe('ingress probe', () => {
  it('recognises the controller 404 (no route) but not an app 404', () => {
    expect(isControllerNotFound(404, '404 page not found\n')).toBe(true);
    expect(isControllerNotFound(404, '{"error":"marker not found"}')).toBe(false);
    expect(isControllerNotFound(503, 'no available server')).toBe(false);
  });
  it('knows where the local test cluster ingress listens', () => {
    expect(ingressUrlFor('berth-local', undefined, {})).toBe('http://127.0.0.1:80');
    expect(ingressUrlFor('berth-local', undefined, { BERTH_INGRESS_PORT: '8080' })).toBe('http://127.0.0.1:8080');
    expect(ingressUrlFor('kind-berth', undefined, {})).toBeUndefined();
    expect(ingressUrlFor('x', 'http://lb', {})).toBe('http://lb');
  });
});

describe('progress', () => {
  it('is plain in CI or without a terminal', () => {
    expect(resolveMode('auto', { CI: 'true' }, true)).toBe('plain');
    expect(resolveMode('auto', {}, false)).toBe('plain');
    expect(resolveMode('auto', {}, true)).toBe('live');
  });
  it('prints one line per change', async () => {
    let out = '';
    const r = new PlainReporter((s) => (out += s));
    await r.step('Applying', async (s) => {
      s.line('created    ConfigMap default/a');
      s.title('Applied 1 object');
    });
    await r.waitItems('Waiting', ['Deployment default/web'], async (update) => update('Deployment default/web', { state: 'ready', message: '1/1 available' }));
    expect(out).toMatch(/^ {2}created {4}ConfigMap default\/a\n\[ +\d+\.\ds\] Applied 1 object\n/);
    expect(out).toMatch(/ready Deployment default\/web: 1\/1 available\n$/);
  });
});

describe('status rows', () => {
  it('judges live objects and lists dist objects missing from the cluster', () => {
    const live = [
      obj('Deployment', 'web', {
        metadata: { name: 'web', namespace: 'default', generation: 1 },
        spec: { replicas: 1 },
        status: { observedGeneration: 1, updatedReplicas: 1, replicas: 1, availableReplicas: 1 },
      }),
    ];
    const desired = [...live, obj('ConfigMap', 'cfg', { metadata: { name: 'cfg', namespace: 'default' } })];
    const rows = statusRows(live, [], [], desired);
    expect(rows).toEqual([
      { kind: 'Deployment', name: 'web', namespace: 'default', state: 'ready', message: '1/1 available' },
      { kind: 'ConfigMap', name: 'cfg', namespace: 'default', state: 'missing', message: 'in dist, not in the cluster (run berth deploy)' },
    ]);
  });
});
