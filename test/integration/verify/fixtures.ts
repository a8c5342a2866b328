import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { App, JsonPatch } from 'cdk8s';
import { BerthChart, WebApp } from '../../../constructs';
import { renderApp } from '../../../src/synth';

export const BUSYBOX = process.env.BERTH_PROBE_IMAGE ?? 'berth.local/busybox:1.35';

/**
 * A WebApp that starts fine in its first two pods and crash-loops in every
 * pod created after them. Each pod records its start in a hostPath directory
 * shared by all pods on the (single) node; a pod that finds more than two
 * start files exits 1, so the replacement made by `verify`'s pod restart
 * never becomes ready. A fresh directory per run keeps re-runs independent.
 * Serves /healthz with busybox httpd.
 */
export function crashLoopApp(app: App, appName: string, stateDir: string): BerthChart {
  const chart = new BerthChart(app, appName);
  const script = [
    'set -e',
    'h=$(busybox hostname)',
    'busybox touch /state/start-$h',
    'n=$(busybox ls /state | busybox grep -c "^start-")',
    'if [ "$n" -gt 2 ]; then echo "start number $n: this fixture refuses to start again (crash loop)"; exit 1; fi',
    'busybox mkdir -p /state/www-$h',
    'echo ok > /state/www-$h/healthz',
    'exec busybox httpd -f -p 8080 -h /state/www-$h',
  ].join('\n');
  const web = new WebApp(chart, 'web', {
    image: BUSYBOX,
    port: 8080,
    replicas: 2,
    command: ['/bin/busybox', 'sh', '-c', script],
    // hostPath directories are created root-owned.
    runAsUser: 0,
    readiness: { http: '/healthz', periodSeconds: 2 },
    liveness: false,
  });
  // No WebApp prop for volumes (a test-only need): escape hatch on the synthesized Deployment.
  web.deployment.addJsonPatch(
    JsonPatch.add('/spec/template/spec/volumes', [{ name: 'state', hostPath: { path: stateDir, type: 'DirectoryOrCreate' } }]),
    JsonPatch.add('/spec/template/spec/containers/0/volumeMounts', [{ name: 'state', mountPath: '/state' }]),
  );
  return chart;
}

/** Render a fixture app into `<dir>/<app>.k8s.yaml` with berth's own synth rendering and validation. */
export function synthFixture(dir: string, appName: string, build: (app: App) => BerthChart): string {
  fs.mkdirSync(dir, { recursive: true });
  const [r] = renderApp(appName, { build });
  const file = path.join(dir, r.fileName);
  fs.writeFileSync(file, r.yaml);
  return file;
}

export function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}
