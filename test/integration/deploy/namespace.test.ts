/**
 * A missing target namespace: deploy says so and how to fix it; with
 * --create-namespace it creates the namespace, and destroy (which removes
 * only what the app owns) leaves that namespace in place. A kubeconfig
 * context's namespace is the target of deploy, verify and destroy alike.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { WebApp } from '../../../constructs';
import { idleWebProps } from '../../idle-web';
import type { KubeClient } from '../../../src/deploy';
import { cli, clusterForFile, CONTEXT, deleteNamespace, KUBECONFIG, synthApp, targetArgs, tempDir } from './helpers';

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

it("without --namespace, deploy, verify and destroy all use the context's namespace", async () => {
  const c = kube();
  // The user's kubeconfig, with the namespace set on the context (kubectl config set-context --current --namespace).
  const cfg = parse(fs.readFileSync(KUBECONFIG, 'utf8'));
  const name = CONTEXT ?? cfg['current-context'];
  for (const ctx of cfg.contexts) if (ctx.name === name) ctx.context.namespace = NS;
  const kubeconfig = path.join(dist, 'kubeconfig-ns');
  fs.writeFileSync(kubeconfig, stringify(cfg), { mode: 0o600 });
  try {
    await deployVerifyDestroy(c, ['--dist', dist, '--app', 'it-newns', '--kubeconfig', kubeconfig, ...(CONTEXT ? ['--context', CONTEXT] : [])]);
  } finally {
    fs.rmSync(kubeconfig, { force: true }); // a copy of the user's credentials: never left behind
  }
});

async function deployVerifyDestroy(c: KubeClient, target: string[]): Promise<void> {
  expect(cli(['deploy', ...target, '--timeout', '1m']).code).toBe(0);
  expect(await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'it-newns-web' })).toBeDefined();
  expect(await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'it-newns-web' })).toBeUndefined();

  const json = path.join(dist, 'verify.json');
  cli(['verify', ...target, '--only', 'wiring', '--json', json]);
  const report = JSON.parse(fs.readFileSync(json, 'utf8'));
  expect(report.namespace).toBe(NS);
  expect(report.checks.find((k: { check: string }) => k.check === 'ready')).toMatchObject({ status: 'pass', target: 'it-newns-web' });

  expect(cli(['destroy', ...target, '--yes']).code).toBe(0);
  expect(await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'it-newns-web' })).toBeUndefined();
}
