/**
 * Failures are diagnosed early, with the reason, and a non-zero exit code:
 * bad image (within 30 s), crash loop (with the last log lines),
 * unschedulable pod (scheduler message), claim that cannot bind,
 * unreachable cluster, unknown context.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deploy, destroy, DeployFailure } from '../../../src/deploy';
import { MongoDatabase, WebApp } from '../../../constructs';
import { cli, clusterForFile, createNamespace, KUBECONFIG, synthApp, target, targetArgs, tempDir } from './helpers';

jest.setTimeout(240_000);

const NS = 'berth-it-diag';
const dist = tempDir('diag-dist');
clusterForFile(NS, {
  setup: (c) => createNamespace(c, NS),
  teardown: async () => {
    for (const app of ['it-badimg', 'it-crash', 'it-lateexit', 'it-nosched', 'it-nopvc']) {
      await destroy({ ...target, dist, app, namespace: NS, wait: false, log: () => undefined }).catch(() => undefined);
    }
  },
});

it('diagnoses an image that cannot be pulled within 30 s, naming the image', () => {
  synthApp(dist, 'it-badimg', (chart) => {
    new WebApp(chart, 'web', { image: 'registry.invalid.example/berth/nope:1.0', port: 8080, readiness: false, liveness: false });
  });
  const r = cli(['deploy', '--dist', dist, '--app', 'it-badimg', ...targetArgs(NS), '--timeout', '2m']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/ImagePullBackOff|ErrImagePull/);
  expect(r.stderr).toContain('registry.invalid.example/berth/nope:1.0');
  expect(r.ms).toBeLessThan(30_000);
});

// Exiting a second after start matters too: without a readiness probe the pod is "ready" the moment
// it starts, so the Deployment reports itself available before the process exits, and deploy must
// not call that ready.
it.each([
  {
    when: 'at once',
    app: 'it-crash',
    script: 'echo starting; echo boom-marker: cannot open config >&2; exit 3',
    marker: 'boom-marker: cannot open config',
    code: 3,
  },
  {
    when: 'a second after starting',
    app: 'it-lateexit',
    script: 'echo up; sleep 1; echo late-marker: lost the config >&2; exit 4',
    marker: 'late-marker: lost the config',
    code: 4,
  },
])('diagnoses a crash loop when the container exits $when, with its last log lines', ({ app, script, marker, code }) => {
  synthApp(dist, app, (chart) => {
    new WebApp(chart, 'web', { image: 'berth.local/busybox:1.35', port: 8080, command: ['sh', '-c', script], readiness: false, liveness: false });
  });
  const r = cli(['deploy', '--dist', dist, '--app', app, ...targetArgs(NS), '--timeout', '2m']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('CrashLoopBackOff');
  expect(r.stderr).toContain(marker);
  expect(r.stderr).toMatch(new RegExp(`code ${code}`));
});

it('diagnoses an unschedulable pod with the scheduler message', () => {
  synthApp(dist, 'it-nosched', (chart) => {
    new WebApp(chart, 'web', {
      image: 'registry.k8s.io/pause:3.10',
      port: 8080,
      readiness: false,
      liveness: false,
      resources: { cpuRequest: '64', cpuLimit: '64' },
    });
  });
  const r = cli(['deploy', '--dist', dist, '--app', 'it-nosched', ...targetArgs(NS), '--timeout', '2m']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/unschedulable: 0\/\d+ nodes are available:.*Insufficient cpu/);
  expect(r.ms).toBeLessThan(60_000);
});

it('diagnoses a claim that cannot bind (unknown StorageClass)', async () => {
  synthApp(dist, 'it-nopvc', (chart) => {
    new MongoDatabase(chart, 'db', { engine: 'ferretdb', storage: { size: '1Gi', storageClassName: 'does-not-exist' } });
  });
  const t0 = Date.now();
  const err = await deploy({ ...target, dist, app: 'it-nopvc', namespace: NS, progress: 'silent', timeout: '2m', grace: { volumeMs: 5000 } }).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(err).toBeInstanceOf(DeployFailure);
  expect(err!.message).toContain('does-not-exist');
  expect(err!.message).toMatch(/PVC data-it-nopvc-db-0|StorageClass/);
  expect(Date.now() - t0).toBeLessThan(60_000);
});

it('says so when the cluster cannot be reached', () => {
  const dir = tempDir('badcfg');
  const cfg = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    cfg,
    'apiVersion: v1\nkind: Config\ncurrent-context: gone\nclusters:\n- name: gone\n  cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: x}\ncontexts:\n- name: gone\n  context: {cluster: gone, user: u}\n',
  );
  const r = cli(['deploy', '--dist', dist, '--app', 'it-crash', '--kubeconfig', cfg]);
  expect(r.code).toBe(3); // cluster unreachable (docs/exit-codes.md)
  expect(r.stderr).toContain('cannot reach context gone (https://127.0.0.1:1): ECONNREFUSED');
});

it('says so when the context is unknown', () => {
  const r = cli(['status', '--dist', dist, '--app', 'it-crash', '--kubeconfig', KUBECONFIG, '--context', 'no-such-context']);
  expect(r.code).toBe(2); // input error: nothing was sent (docs/exit-codes.md)
  expect(r.stderr).toMatch(/unknown context "no-such-context" in kubeconfig .*; known contexts: /);
});
