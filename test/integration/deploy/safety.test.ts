// Long on purpose: one cluster namespace shared by every safety scenario (each needs a deployed app first).
/**
 * Safety of deploy and destroy on the real cluster (issue 10): an empty
 * manifest does not prune the app away; objects berth did not make are not
 * taken over; undeclared kinds are refused; destroy lists and asks, and
 * refuses without --yes off a terminal; an interrupted deploy converges on
 * rerun; prune finds a custom resource whose kind left dist/ (inventory);
 * a StatefulSet's claim size change is planned and done by an orphan
 * re-create that keeps the claim and its data, and grows the claim in place
 * when the StorageClass allows expansion.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { WebApp } from '../../../constructs';
import { destroy, KubeClient, waitGone } from '../../../src/deploy';
import type { KObject } from '../../../src/kube/types';
import { IDLE_COMMAND, idleWebProps } from '../../idle-web';
import { CLI, cli, client, createNamespace, deleteNamespace, synthApp, target, targetArgs, tempDir } from './helpers';

jest.setTimeout(300_000);

const NS = 'berth-safety-it';
const FOREIGN_NS = 'berth-safety-foreign';
const CRD = 'widgets.safety.berth.dev';
const EXPANDABLE_CLASS = 'berth-safety-expandable';
const IMAGE = 'berth.local/busybox:1.35';
const dist = tempDir('safety-dist');
let c: KubeClient;

const apps = ['safe-empty', 'safe-foreign', 'safe-crb', 'safe-destroy-a', 'safe-destroy-b', 'safe-int', 'safe-inv', 'safe-sts', 'safe-grow'];

function web(app: string, replicas = 1): void {
  synthApp(dist, app, (chart) => {
    new WebApp(chart, 'web', idleWebProps(IMAGE, { replicas }));
  });
}

/** Write dist/<app>.k8s.yaml from plain objects (labels added as synth would). */
function raw(app: string, objects: KObject[]): void {
  const docs = objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...(o.metadata.labels ?? {}), 'berth.dev/app': app } } }));
  fs.writeFileSync(path.join(dist, `${app}.k8s.yaml`), docs.map((d) => stringify(d)).join('---\n'));
}

const deployArgs = (app: string, ...more: string[]) => [
  'deploy',
  '--dist',
  dist,
  '--app',
  app,
  ...targetArgs(NS),
  '--no-synth',
  '--progress',
  'plain',
  '--timeout',
  '2m',
  ...more,
];
const get = (kind: string, name: string, apiVersion = kind === 'Deployment' || kind === 'StatefulSet' ? 'apps/v1' : 'v1', namespace: string | undefined = NS) =>
  c.get({ apiVersion, kind, name, namespace });

beforeAll(async () => {
  c = await client();
  await createNamespace(c, NS);
});

afterAll(async () => {
  for (const app of apps) await destroy({ ...target, dist, app, namespace: NS, wait: false, log: () => undefined }).catch(() => undefined);
  await deleteNamespace(c, NS).catch(() => undefined);
  await deleteNamespace(c, FOREIGN_NS).catch(() => undefined);
  await c.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: CRD }).catch(() => undefined);
  await c.delete({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: EXPANDABLE_CLASS }).catch(() => undefined);
  c?.close();
});

it('an empty manifest does not prune the app: exit 4, nothing changed; --allow-empty-prune does', async () => {
  web('safe-empty');
  expect(cli(deployArgs('safe-empty')).code).toBe(0);
  fs.writeFileSync(path.join(dist, 'safe-empty.k8s.yaml'), '');
  const r = cli(deployArgs('safe-empty'));
  expect(r.code).toBe(4);
  expect(r.stderr).toMatch(
    /safe-empty\.k8s\.yaml has no objects, so prune would delete all \d+ object\(s\) of app safe-empty: .*Deployment berth-safety-it\/safe-empty-web/,
  );
  expect(r.stderr).toContain('--allow-empty-prune');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(await get('Deployment', 'safe-empty-web')).toBeDefined();

  const forced = cli(deployArgs('safe-empty', '--allow-empty-prune'));
  expect(forced.code).toBe(0);
  expect(await get('Deployment', 'safe-empty-web')).toBeUndefined();
});

it('a Namespace that exists without the app label is not adopted: conflict, exit 4, nothing changed', async () => {
  await c.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: FOREIGN_NS, labels: { team: 'them' } } }, 'someone-else');
  raw('safe-foreign', [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: FOREIGN_NS, annotations: { 'berth.dev/allow-kind': 'Namespace' } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'safe-foreign-cfg', namespace: FOREIGN_NS }, data: { a: '1' } },
  ]);
  const r = cli(deployArgs('safe-foreign'));
  expect(r.code).toBe(4);
  expect(r.stderr).toContain(`Namespace ${FOREIGN_NS}`);
  expect(r.stderr).toMatch(/without the label berth\.dev\/app/);
  expect(r.stderr).toContain('--adopt');
  const ns = await get('Namespace', FOREIGN_NS, 'v1', undefined);
  expect(ns?.metadata.labels).toEqual(expect.objectContaining({ team: 'them' }));
  expect(ns?.metadata.labels?.['berth.dev/app']).toBeUndefined();
  expect(await get('ConfigMap', 'safe-foreign-cfg', 'v1', FOREIGN_NS)).toBeUndefined();
  // destroy of that app finds nothing of its own to delete: the namespace stays.
  const d = cli(['destroy', '--dist', dist, '--app', 'safe-foreign', ...targetArgs(NS), '--yes']);
  expect(d.code).toBe(0);
  expect((await get('Namespace', FOREIGN_NS, 'v1', undefined))?.metadata.deletionTimestamp).toBeUndefined();
});

it('an undeclared ClusterRoleBinding is refused before anything is applied', async () => {
  raw('safe-crb', [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'safe-crb-cfg' }, data: { a: '1' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'safe-crb-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: NS }],
    },
  ]);
  const r = cli(deployArgs('safe-crb'));
  expect(r.code).toBe(4);
  expect(r.stderr).toContain('ClusterRoleBinding safe-crb-admin');
  expect(r.stderr).toContain("allowKinds: ['ClusterRoleBinding']");
  expect(await get('ClusterRoleBinding', 'safe-crb-admin', 'rbac.authorization.k8s.io/v1', undefined)).toBeUndefined();
  expect(await get('ConfigMap', 'safe-crb-cfg')).toBeUndefined();
});

it('destroy lists every app with data and credentials apart, and refuses without --yes off a terminal', async () => {
  const two = tempDir('safety-two');
  for (const app of ['safe-destroy-a', 'safe-destroy-b']) {
    synthApp(two, app, (chart) => {
      new WebApp(chart, 'web', idleWebProps(IMAGE));
    });
    fs.appendFileSync(
      path.join(two, `${app}.k8s.yaml`),
      `---\n${stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${app}-creds`, labels: { 'berth.dev/app': app }, annotations: { 'berth.dev/generate-keys': 'password' } } })}`,
    );
    expect(cli(['deploy', '--dist', two, '--app', app, ...targetArgs(NS), '--no-synth', '--timeout', '2m']).code).toBe(0);
  }
  // No --app: both apps in the dist dir; spawnSync gives the child no terminal.
  const r = cli(['destroy', '--dist', two, ...targetArgs(NS)]);
  expect(r.code).toBe(4);
  expect(r.stdout).toMatch(/app safe-destroy-a on /);
  expect(r.stdout).toMatch(/app safe-destroy-b on /);
  expect(r.stdout).toMatch(/CREDENTIALS: delete 1 Secret\(s\): Secret berth-safety-it\/safe-destroy-a-creds/);
  expect(r.stdout).toMatch(/delete \d+ object\(s\): .*Deployment berth-safety-it\/safe-destroy-b-web/);
  expect(r.stderr).toMatch(/stdin is not a terminal.*Nothing was deleted/);
  expect(r.stderr).toContain('--yes');
  expect(await get('Deployment', 'safe-destroy-a-web')).toBeDefined();
  expect(await get('Secret', 'safe-destroy-b-creds')).toBeDefined();

  const yes = cli(['destroy', '--dist', two, ...targetArgs(NS), '--yes']);
  expect(yes.code).toBe(0);
  expect(await get('Deployment', 'safe-destroy-a-web')).toBeUndefined();
  expect(await get('Secret', 'safe-destroy-b-creds')).toBeUndefined();
  expect(await get('ConfigMap', 'berth-inventory-safe-destroy-a')).toBeUndefined();
});

it('Ctrl-C during apply leaves a state the rerun converges from', async () => {
  synthApp(dist, 'safe-int', (chart) => {
    for (const n of ['a', 'b', 'c']) {
      new WebApp(chart, n, idleWebProps(IMAGE, { config: { NAME: n } }));
    }
  });
  const child = spawn(process.execPath, [CLI, ...deployArgs('safe-int')], { env: { ...process.env, CI: 'true' } });
  let out = '';
  let err = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    // The first object reported: apply is under way, the later tiers not yet sent.
    if (!sent && /\n {2}created /.test(`\n${out}`)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  process.stdout.write(`interrupted deploy (exit ${code}):\n${out}\n${err}\n`);
  expect(sent).toBe(true);
  expect(code).toBe(130);
  expect(err).toMatch(/berth deploy: interrupted \(SIGINT\).*run `berth deploy` again to converge/);
  const existing = (await c.list('apps/v1', 'Deployment', { namespace: NS, labelSelector: 'berth.dev/app=safe-int' })).length;
  process.stdout.write(`after the interrupt: ${existing}/3 Deployments exist\n`);

  const again = cli(deployArgs('safe-int'));
  expect(again.stderr).toBe('');
  expect(again.code).toBe(0);
  for (const n of ['a', 'b', 'c']) {
    const d = await get('Deployment', `safe-int-${n}`);
    expect(d?.status?.availableReplicas).toBe(1);
  }
  const third = cli(deployArgs('safe-int'));
  expect(third.code).toBe(0);
  expect(third.stdout).toContain('no changes');
});

it('prune finds a custom resource whose kind left dist (the inventory)', async () => {
  await c.apply(
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: CRD },
      spec: {
        group: 'safety.berth.dev',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    },
    'berth-test',
  );
  const deadline = Date.now() + 60_000;
  while (
    !(await c.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: CRD }))?.status?.conditions?.some(
      (x: any) => x.type === 'Established' && x.status === 'True',
    )
  ) {
    if (Date.now() > deadline) throw new Error(`${CRD} not Established`);
    await new Promise((r) => setTimeout(r, 200));
  }
  c.resetDiscovery();
  const cfg = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'safe-inv-cfg' }, data: { a: '1' } };
  const widget = {
    apiVersion: 'safety.berth.dev/v1',
    kind: 'Widget',
    metadata: { name: 'safe-inv-w', annotations: { 'berth.dev/allow-kind': 'Widget' } },
    spec: { size: 1 },
  };
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'safe-inv-web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'safe-inv' } },
      template: { metadata: { labels: { app: 'safe-inv' } }, spec: { containers: [{ name: 'c', image: IMAGE, command: IDLE_COMMAND }] } },
    },
  };
  raw('safe-inv', [cfg, widget, dep]);
  expect(cli(deployArgs('safe-inv')).code).toBe(0);
  const inv = await get('ConfigMap', 'berth-inventory-safe-inv');
  expect(inv?.data?.kinds).toContain('safety.berth.dev/v1/Widget');
  expect(await c.get({ apiVersion: 'safety.berth.dev/v1', kind: 'Widget', namespace: NS, name: 'safe-inv-w' })).toBeDefined();

  raw('safe-inv', [cfg, dep]);
  const r = cli(deployArgs('safe-inv'));
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`pruned     Widget ${NS}/safe-inv-w`);
  expect(await c.get({ apiVersion: 'safety.berth.dev/v1', kind: 'Widget', namespace: NS, name: 'safe-inv-w' })).toBeUndefined();
  // After a successful prune the record holds only what is left.
  expect((await get('ConfigMap', 'berth-inventory-safe-inv'))?.data?.kinds).not.toContain('Widget');
});

describe('a StatefulSet claim size change', () => {
  const sts = (size: string, storageClassName?: string, name = 'safe-sts'): KObject => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName: name,
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'c',
              image: IMAGE,
              // The marker is written once, on the first start; every start prints what the claim holds.
              command: [
                'sh',
                '-c',
                '[ -f /data/marker ] || head -c 12 /dev/urandom | od -An -tx1 | tr -d " \\n" > /data/marker; echo "marker=$(cat /data/marker)"; trap "exit 0" TERM; sleep 3600 & wait',
              ],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...(storageClassName ? { storageClassName } : {}) },
        },
      ],
    },
  });
  const marker = async (): Promise<string> => /marker=([0-9a-f]+)/.exec(await c.logs(NS, 'safe-sts-0', 'c'))?.[1] ?? '';

  it('is planned by diff, done by an orphan re-create that keeps the claim and its data; a new storage class needs --allow-data-loss', async () => {
    raw('safe-sts', [sts('64Mi')]);
    expect(cli(deployArgs('safe-sts')).code).toBe(0);
    const claim = await get('PersistentVolumeClaim', 'data-safe-sts-0');
    const before = await get('StatefulSet', 'safe-sts');
    const first = await marker();
    expect(first).toMatch(/^[0-9a-f]{24}$/);

    raw('safe-sts', [sts('128Mi')]);
    const d = cli(['diff', '--dist', dist, '--app', 'safe-sts', ...targetArgs(NS)]);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(`! StatefulSet ${NS}/safe-sts (REPLACE)`);
    expect(d.stdout).toContain('spec.volumeClaimTemplates[data].spec.resources.requests.storage: "64Mi" → "128Mi"');

    raw('safe-sts', [sts('128Mi', 'some-other-class')]);
    const refused = cli(deployArgs('safe-sts'));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/would lose data[\s\S]*DATA LOSS: a new storage class[\s\S]*--allow-data-loss/);
    expect((await get('StatefulSet', 'safe-sts'))?.metadata.uid).toBe(before?.metadata.uid);

    raw('safe-sts', [sts('128Mi')]);
    const r = cli(deployArgs('safe-sts'));
    process.stdout.write(`deploy with the new claim size:\n${r.stdout}\n${r.stderr}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`StatefulSet ${NS}/safe-sts must be replaced: re-created with propagationPolicy Orphan`);
    expect(r.stdout).toContain(`replaced   StatefulSet ${NS}/safe-sts`);
    const after = await get('StatefulSet', 'safe-sts');
    expect(after?.metadata.uid).not.toBe(before?.metadata.uid);
    expect(after?.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('128Mi');
    expect((await get('PersistentVolumeClaim', 'data-safe-sts-0'))?.metadata.uid).toBe(claim?.metadata.uid);

    // A new pod of the new StatefulSet mounts the same claim and finds the same marker.
    await c.delete({ apiVersion: 'v1', kind: 'Pod', namespace: NS, name: 'safe-sts-0' });
    await waitGone(c, { apiVersion: 'v1', kind: 'Pod', namespace: NS, name: 'safe-sts-0' }, Date.now() + 60_000).catch(() => undefined);
    expect(cli(deployArgs('safe-sts')).code).toBe(0);
    const deadline = Date.now() + 60_000;
    let again: string;
    while (!(again = await marker().catch(() => '')) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 500));
    expect(again).toBe(first);
  });

  it('grows the existing claim in place when the StorageClass allows expansion', async () => {
    // local-path with allowVolumeExpansion: the API server's resize admission accepts the larger request.
    // local-path has no resizer, so the volume itself keeps its size: this proves berth's part (plan,
    // orphan re-create, the claim's request raised in place, same claim), not a resize driver's.
    await c.apply(
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: EXPANDABLE_CLASS },
        provisioner: 'rancher.io/local-path',
        volumeBindingMode: 'WaitForFirstConsumer',
        reclaimPolicy: 'Delete',
        allowVolumeExpansion: true,
      },
      'berth-test',
    );
    raw('safe-grow', [sts('64Mi', EXPANDABLE_CLASS, 'safe-grow')]);
    expect(cli(deployArgs('safe-grow')).code).toBe(0);
    const claim = await get('PersistentVolumeClaim', 'data-safe-grow-0');
    expect(claim?.spec.resources.requests.storage).toBe('64Mi');

    raw('safe-grow', [sts('128Mi', EXPANDABLE_CLASS, 'safe-grow')]);
    const d = cli(['diff', '--dist', dist, '--app', 'safe-grow', ...targetArgs(NS)]);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(`claims of template "data" are expanded in place 64Mi → 128Mi (StorageClass ${EXPANDABLE_CLASS} allows it)`);
    const r = cli(deployArgs('safe-grow'));
    process.stdout.write(`deploy with a larger claim on an expandable class:\n${r.stdout}\n${r.stderr}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`expanded   PersistentVolumeClaim ${NS}/data-safe-grow-0 to 128Mi`);
    const grown = await get('PersistentVolumeClaim', 'data-safe-grow-0');
    expect(grown?.metadata.uid).toBe(claim?.metadata.uid);
    expect(grown?.spec.resources.requests.storage).toBe('128Mi');
    expect((await get('StatefulSet', 'safe-grow'))?.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('128Mi');
  });
});
