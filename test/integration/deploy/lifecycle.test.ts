/**
 * A small app written with the constructs, changed between deploys:
 * replicas roll out, a removed WebApp is pruned (and nothing else is),
 * generated credentials survive redeploys and destroy --keep-data + deploy.
 */
import { ApiObject } from 'cdk8s';
import { deploy, destroy, diff, KubeClient } from '../../../src/deploy';
import { WebApp } from '../../../constructs';
import { client, createNamespace, deleteNamespace, secretDigest, synthApp, target, tempDir } from './helpers';

jest.setTimeout(240_000);

const NS = 'berth-it-life';
const APP = 'it-life';
const dist = tempDir('life-dist');
let c: KubeClient;
const opts = { ...target, dist, app: APP, namespace: NS, progress: 'silent' as const, timeout: '3m' };

function write(v: { replicas: number; extra: boolean }): void {
  synthApp(dist, APP, (chart) => {
    new WebApp(chart, 'web', { image: 'registry.k8s.io/pause:3.10', port: 8080, replicas: v.replicas, readiness: false, liveness: false });
    if (v.extra) new WebApp(chart, 'extra', { image: 'registry.k8s.io/pause:3.10', port: 8080, readiness: false, liveness: false });
    new ApiObject(chart, 'creds', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'it-life-creds', annotations: { 'berth.dev/generate-keys': 'password,apiKey' } },
    });
  });
}

const secret = () => c.get({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'it-life-creds' });
const deployments = async () => (await c.list('apps/v1', 'Deployment', { namespace: NS })).map((d) => d.metadata.name).sort();

beforeAll(async () => {
  c = await client();
  await destroy({ ...target, dist, app: APP, namespace: NS, log: () => undefined }).catch(() => undefined);
  await createNamespace(c, NS);
  // Objects deploy must never touch: unlabelled, and owned by another app.
  await c.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'foreign', namespace: NS }, data: { a: '1' } }, 'someone-else');
  await c.apply(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-app', namespace: NS, labels: { 'berth.dev/app': 'other' } }, data: { a: '1' } },
    'berth',
  );
});

afterAll(async () => {
  await destroy({ ...target, dist, app: APP, namespace: NS, log: () => undefined }).catch(() => undefined);
  await deleteNamespace(c, NS).catch(() => undefined);
  c?.close();
});

it('deploys, generating the credentials once', async () => {
  write({ replicas: 1, extra: true });
  const [r] = await deploy(opts);
  expect(r.applied.find((a) => a.kind === 'Secret')?.generated.sort()).toEqual(['apiKey', 'password']);
  expect(await deployments()).toEqual(['it-life-extra', 'it-life-web']);
  const s = await secret();
  expect(Object.keys(s!.data!).sort()).toEqual(['apiKey', 'password']);
  expect(Buffer.from(s!.data!.password, 'base64').toString()).toMatch(/^[A-Za-z0-9]{32}$/);
});

it('rolls out a replica change and waits for it', async () => {
  const digest = secretDigest(await secret());
  const before = await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'it-life-web' });
  write({ replicas: 2, extra: true });
  const [d] = await diff({ ...target, dist, app: APP, namespace: NS });
  expect(d.diffs.find((x) => x.name === `Deployment ${NS}/it-life-web`)?.changes).toContainEqual({ path: 'spec.replicas', before: 1, after: 2 });
  const [r] = await deploy(opts);
  // The Deployment changes; with 2 replicas the WebApp also gets a PodDisruptionBudget. Nothing else changes.
  const changed = r.applied.filter((a) => a.change !== 'unchanged');
  expect(changed.map((a) => a.name)).toContain(`Deployment ${NS}/it-life-web`);
  expect(changed.filter((a) => !a.name.endsWith('/it-life-web'))).toEqual([]);
  const after = await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'it-life-web' });
  expect(after!.metadata.generation).toBeGreaterThan(before!.metadata.generation!);
  // deploy returned only after the rollout: both replicas are available now, without any further waiting here.
  expect(after!.status.availableReplicas).toBe(2);
  expect(after!.status.updatedReplicas).toBe(2);
  expect(secretDigest(await secret())).toBe(digest);
});

it('prunes a WebApp removed from the app, and nothing else', async () => {
  write({ replicas: 2, extra: false });
  const [r] = await deploy(opts);
  expect(r.pruned.every((n) => n.includes('it-life-extra'))).toBe(true);
  expect(r.pruned).toEqual(expect.arrayContaining([`Deployment ${NS}/it-life-extra`, `Service ${NS}/it-life-extra`]));
  expect(await deployments()).toEqual(['it-life-web']);
  expect(await c.get({ apiVersion: 'v1', kind: 'Service', namespace: NS, name: 'it-life-extra' })).toBeUndefined();
  expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'foreign' })).toBeDefined();
  expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'other-app' })).toBeDefined();
  expect(await secret()).toBeDefined();
});

it('keeps the credentials across destroy --keep-data + deploy, and destroy removes them', async () => {
  const digest = secretDigest(await secret());
  await destroy({ ...target, dist, app: APP, namespace: NS, keepData: true, log: () => undefined });
  expect(await deployments()).toEqual([]);
  expect(secretDigest(await secret())).toBe(digest);

  const [r] = await deploy(opts);
  expect(r.applied.find((a) => a.kind === 'Secret')?.generated).toEqual([]);
  expect(secretDigest(await secret())).toBe(digest);

  await destroy({ ...target, dist, app: APP, namespace: NS, log: () => undefined });
  expect(await secret()).toBeUndefined();
  expect(await deployments()).toEqual([]);
  expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'foreign' })).toBeDefined();
  expect(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'other-app' })).toBeDefined();
});
