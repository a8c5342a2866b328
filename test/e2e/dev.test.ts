/**
 * `berth dev` end to end on the real cluster, in a throw-away project: the first run deploys, a save
 * that changes the app rolls it out, a save with a type error deploys nothing, the fix deploys again,
 * and Ctrl-C ends the loop with exit 0.
 */
import { CONTEXT, client, deleteNamespace, KUBECONFIG } from '../integration/deploy/helpers';
import { startBerth, TempProject, tempProject } from '../unit/synth/temp-project';
import type { KubeClient } from '../../src/deploy';

jest.setTimeout(300_000);

const NS = 'berth-e2e-dev';
const APP = 'devloop';

/** An app with one WebApp on an image the offline cluster holds; `typo` adds a type error. */
function source(replicas: number, typo = false): string {
  return `import { App } from 'cdk8s';
import { BerthChart, WebApp } from '../../constructs';

export function build(app: App): BerthChart {
  const chart = new BerthChart(app, '${APP}');
  new WebApp(chart, 'web', { image: 'registry.k8s.io/pause:3.10', port: 8080, replicas: ${replicas}, readiness: false, liveness: false });
  ${typo ? "const n: number = 'three';\n  void n;" : ''}
  return chart;
}
`;
}

let p: TempProject;
let c: KubeClient;

beforeAll(async () => {
  c = await client();
  await deleteNamespace(c, NS).catch(() => undefined);
  p = tempProject();
});

afterAll(async () => {
  if (c) await deleteNamespace(c, NS).catch(() => undefined);
  c?.close();
  p?.remove();
});

/** The Deployment as the cluster has it: desired and ready replicas. */
async function live(): Promise<{ replicas?: number; ready?: number }> {
  const d = await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: `${APP}-web` });
  return { replicas: d?.spec?.replicas, ready: d?.status?.readyReplicas };
}

test('berth dev deploys on start and on every save that type-checks, and nothing while the app has a type error', async () => {
  p.write(`apps/${APP}/app.ts`, source(1));
  const target = ['--kubeconfig', KUBECONFIG, ...(CONTEXT ? ['--context', CONTEXT] : []), '-n', NS];
  const dev = startBerth(p, ['dev', '--app', APP, ...target, '--create-namespace', '--progress', 'plain', '--timeout', '3m']);
  const deployed = new RegExp(`deployed ${APP} to context .*\\n[^]*watching for changes`);
  try {
    await dev.waitFor(deployed, 0, 200_000);
    expect(await live()).toEqual({ replicas: 1, ready: 1 });

    let from = dev.output.length;
    p.write(`apps/${APP}/app.ts`, source(2));
    await dev.waitFor(deployed, from, 200_000);
    expect(await live()).toEqual({ replicas: 2, ready: 2 });

    from = dev.output.length;
    p.write(`apps/${APP}/app.ts`, source(3, true));
    await dev.waitFor(/error TS2322[^]*not deployed: fix the errors above, then save again/, from, 60_000);
    expect(dev.output.slice(from)).not.toMatch(/deployed devloop to context/);
    expect((await live()).replicas).toBe(2);

    from = dev.output.length;
    p.write(`apps/${APP}/app.ts`, source(1));
    await dev.waitFor(deployed, from, 200_000);
    expect((await live()).replicas).toBe(1);
    expect(dev.child.exitCode).toBeNull();
  } finally {
    expect(await dev.stop()).toBe(0);
  }
});
