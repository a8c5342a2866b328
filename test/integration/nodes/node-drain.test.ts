import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebApp } from '../../../constructs';
import { berth, mustSucceed } from '../verify/cli';
import { BUSYBOX, synthFixture } from '../verify/fixtures';
import { kubectl, suffix } from '../cluster/k8s';
import { byId, deployDemo, describeWithNodes, destroy, ingressUrl, NODE1, podNodes, verify } from './helpers';
import { BerthChart } from '../../../constructs';

/**
 * Planned maintenance on a real two-node cluster: the demo's web pods are on different nodes, and
 * draining the node holding one of them (cordon + Eviction API) loses no request; a WebApp with one
 * replica fails the check saying why.
 */
jest.setTimeout(15 * 60_000);

describeWithNodes('node drain', () => {
  test('demo: web pods on different nodes; node-drain passes with 0 failed requests and uncordons', async () => {
    const d = await deployDemo('nodes-drain');
    try {
      const where = await podNodes(d.ns, 'app.kubernetes.io/instance=demo-web');
      expect(Object.keys(where)).toHaveLength(2);
      expect(new Set(Object.values(where)).size).toBe(2);

      const { run, report } = verify(d, 'node-drain');
      const drain = byId(report!, 'node-drain/demo-web');
      expect(drain.status).toBe('pass');
      expect(drain.reason).toMatch(
        /^node \S+ cordoned, \d pod\(s\) evicted, replacements ready on \S+; 0 failed requests \(Service: 0\/\d+ failed, Ingress \S+: 0\/\d+ failed\); node uncordoned$/,
      );
      const node = drain.details.node as string;
      expect(Object.keys(drain.details.podsAfter)).not.toContain(node);
      expect(drain.details.service.requests).toBeGreaterThan(10);
      expect(drain.details.ingress.requests).toBeGreaterThan(10);
      const spec = JSON.parse(await kubectl(['get', 'node', node, '-o', 'json'])).spec;
      expect(spec.unschedulable).toBeFalsy();
      expect(run.code).toBe(0);
    } finally {
      await destroy(d);
    }
  });

  test('all pods on the database node: the web pods move, the database on its local-path volume stays and the reason says so', async () => {
    const d = await deployDemo('nodes-dbnode', NODE1);
    try {
      expect(new Set(Object.values(await podNodes(d.ns, 'berth.dev/app=demo')))).toEqual(new Set([NODE1]));
      const { run, report } = verify(d, 'node-drain');
      const drain = byId(report!, 'node-drain/demo-web');
      expect(drain.status).toBe('pass');
      expect(drain.details.node).toBe(NODE1);
      expect(drain.reason).toMatch(
        new RegExp(
          `; node uncordoned; not evicted: demo-db-0 \\(its local-path volume is on ${NODE1}\\): it cannot run elsewhere, so a real drain of ${NODE1} stops it until the node is back$`,
        ),
      );
      expect(Object.keys(drain.details.podsAfter)).not.toContain(NODE1);
      expect(drain.details.timeline.markers.map((m: { label: string }) => m.label)).toEqual(
        expect.arrayContaining([`cordoned ${NODE1}`, `replacements ready off ${NODE1}`]),
      );
      expect(await podNodes(d.ns, 'app.kubernetes.io/instance=demo-db')).toEqual({ 'demo-db-0': NODE1 });
      expect(run.code).toBe(0);
    } finally {
      await destroy(d);
    }
  });

  test('a WebApp with 1 replica fails node-drain: not highly available', async () => {
    const app = `nodes-one-${suffix()}`;
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), `berth-${app}-`));
    synthFixture(dist, app, (a) => {
      const chart = new BerthChart(a, app);
      new WebApp(chart, 'web', {
        image: BUSYBOX,
        port: 8080,
        replicas: 1,
        command: ['/bin/busybox', 'sh', '-c', 'mkdir -p /tmp/www && echo ok > /tmp/www/healthz && exec /bin/busybox httpd -f -p 8080 -h /tmp/www'],
        runAsUser: 0,
        readiness: { http: '/healthz', periodSeconds: 2 },
        liveness: false,
        ingress: { host: `${app}.berth.local` },
      });
      return chart;
    });
    const ns = app;
    try {
      mustSucceed('berth deploy', berth(['deploy', '--dist', dist, '--app', app, '-n', ns, '--create-namespace', '--no-synth', '--ingress-url', ingressUrl()]));
      const { run, report } = verify({ app, ns, dist, host: `${app}.berth.local` }, 'node-drain');
      const drain = byId(report!, `node-drain/${app}-web`);
      expect(drain.status).toBe('fail');
      expect(drain.reason).toMatch(
        /^not highly available: 1 replica, so draining node \S+ leaves the Service without a ready endpoint until the replacement is ready \(Service: \d+\/\d+ failed, .*\); set replicas >= 2$/,
      );
      expect(run.code).toBe(1);
    } finally {
      await destroy({ app, ns, dist, host: '' });
    }
  });
});
