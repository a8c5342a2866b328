/**
 * A missing target namespace: deploy says so and how to fix it; with
 * --create-namespace it creates the namespace, and destroy (which removes
 * only what the app owns) leaves that namespace in place.
 */
import { WebApp } from '../../../constructs';
import { idleWebProps } from '../../idle-web';
import { cli, clusterForFile, deleteNamespace, synthApp, targetArgs, tempDir } from './helpers';

jest.setTimeout(180_000);

const NS = 'berth-it-newns';
const dist = tempDir('ns-dist');
const kube = clusterForFile(NS, {
  setup: async (c) => {
    await deleteNamespace(c, NS);
    synthApp(dist, 'it-newns', (chart) => {
      new WebApp(chart, 'web', idleWebProps('berth.local/busybox:1.35'));
    });
  },
});

it('names the missing namespace and the way out', () => {
  const r = cli(['deploy', '--dist', dist, '--app', 'it-newns', ...targetArgs(NS), '--timeout', '1m']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`namespace ${NS} does not exist`);
  expect(r.stderr).toContain('--create-namespace');
});

it('creates it with --create-namespace, and destroy keeps it', async () => {
  const c = kube();
  const r = cli(['deploy', '--dist', dist, '--app', 'it-newns', ...targetArgs(NS), '--create-namespace', '--timeout', '1m']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`created namespace ${NS}`);
  const ns = await c.get({ apiVersion: 'v1', kind: 'Namespace', name: NS });
  expect(ns?.metadata.labels?.['berth.dev/app']).toBeUndefined();
  expect(await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'it-newns-web' })).toBeDefined();

  const again = cli(['deploy', '--dist', dist, '--app', 'it-newns', ...targetArgs(NS), '--create-namespace', '--timeout', '1m']);
  expect(again.code).toBe(0);
  expect(again.stdout).not.toContain('created namespace');

  const d = cli(['destroy', '--dist', dist, '--app', 'it-newns', ...targetArgs(NS), '--yes']);
  expect(d.code).toBe(0);
  expect(await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'it-newns-web' })).toBeUndefined();
  const kept = await c.get({ apiVersion: 'v1', kind: 'Namespace', name: NS });
  expect(kept?.metadata.deletionTimestamp).toBeUndefined();
});
