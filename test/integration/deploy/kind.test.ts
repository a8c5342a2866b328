/**
 * kind for real, wherever kind and a Docker engine work: create a cluster from
 * berth's generated config, load an image, deploy an app to context kind-<name>,
 * delete the cluster. Elsewhere (our offline build machines) the tests are
 * skipped and the reason is printed.
 */
import { spawnSync } from 'node:child_process';
import { kindAvailable, kindContextName, kindDeleteArgs } from '../../../src/cluster/kind';
import { WebApp } from '../../../constructs';
import { cli, synthApp, tempDir } from './helpers';

const check = kindAvailable();
if (!check.ok) console.log(`kind tests skipped: ${check.reason}`);
const maybe = check.ok ? describe : describe.skip;

jest.setTimeout(600_000);

maybe('kind cluster', () => {
  const name = 'berth-it-kind';
  const image = 'registry.k8s.io/pause:3.10';
  const dir = tempDir('kind');

  afterAll(() => {
    spawnSync('kind', kindDeleteArgs(name), { stdio: 'inherit' });
  });

  it('creates a cluster whose node is ingress-ready with ports 80/443 published', () => {
    const r = cli(['cluster', 'create', '--kind', '--name', name, '--http-port', '18080', '--https-port', '18443', '--config-out', `${dir}/kind.yaml`]);
    expect(r.code).toBe(0);
    const nodes = spawnSync('kubectl', ['--context', kindContextName(name), 'get', 'nodes', '-l', 'ingress-ready=true', '-o', 'name'], { encoding: 'utf8' });
    expect(nodes.stdout.trim()).not.toBe('');
    const ports = spawnSync('docker', ['port', `${name}-control-plane`], { encoding: 'utf8' });
    expect(ports.stdout).toContain('127.0.0.1:18080');
    expect(ports.stdout).toContain('127.0.0.1:18443');
  });

  it('loads a local image and deploys an app to the kind context', () => {
    expect(spawnSync('docker', ['pull', image], { stdio: 'inherit' }).status).toBe(0);
    expect(cli(['cluster', 'load-image', image, '--kind', '--name', name]).code).toBe(0);
    synthApp(dir, 'it-kind', (chart) => {
      new WebApp(chart, 'web', { image, port: 8080, readiness: false, liveness: false, imagePullPolicy: 'Never' });
    });
    const r = cli(['deploy', '--dist', dir, '--app', 'it-kind', '--context', kindContextName(name), '--timeout', '3m']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
