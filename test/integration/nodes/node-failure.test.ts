import { kubectl } from '../cluster/k8s';
import { byId, deployDemo, describeWithNodes, destroy, NODE1, NODE2, podNodes, verify, waitReadyPods } from './helpers';

/**
 * A crash on a real two-node cluster (node.sh crash: every process of berth-local-2 killed, its
 * link cut): verify reports availability through the Ingress and the Service, the per-second
 * timeline and the recovery times, then restores the node; and it tells the truth about a
 * database whose local-path volume is on the failed node, proving its data came back.
 * Needs root (the disruptor runs hack/local-cluster/node.sh).
 */
jest.setTimeout(20 * 60_000);

/** After a deploy confined to one node: one web pod moves to the other node (the spread puts its replacement there). */
async function spreadWeb(ns: string): Promise<Record<string, string>> {
  const before = await podNodes(ns, 'app.kubernetes.io/instance=demo-web');
  await kubectl(['-n', ns, 'delete', 'pod', Object.keys(before)[0], '--wait=false']);
  await new Promise((r) => setTimeout(r, 2000));
  await waitReadyPods(ns, 'app.kubernetes.io/instance=demo-web', 2);
  return podNodes(ns, 'app.kubernetes.io/instance=demo-web');
}

describeWithNodes('node failure', () => {
  test('demo with its database on node 1: node-failure gives its figures and passes', async () => {
    const d = await deployDemo('nodes-fail', NODE1);
    try {
      const where = await spreadWeb(d.ns);
      expect(new Set(Object.values(where))).toEqual(new Set([NODE1, NODE2]));
      const { report } = verify(d, 'node-failure');
      const web = byId(report!, 'node-failure/demo-web');
      process.stdout.write(
        `NODE-FAILURE FIGURES ${JSON.stringify({ reason: web.reason, ingress: web.details.ingress, service: web.details.service, nodeNotReadyAfterMs: web.details.nodeNotReadyAfterMs, replacementsReadyAfterMs: web.details.replacementsReadyAfterMs, nodeBackAfterMs: web.details.nodeBackAfterMs })}\n`,
      );
      expect(web.details.node).toBe(NODE2);
      expect(web.details.ingress.perSecond.length).toBeGreaterThan(10);
      expect(web.details.replacementsReadyAfterMs).toBeGreaterThan(0);
      expect(web.status).toBe('pass');
      const db = byId(report!, 'node-failure/demo-db');
      expect(db.status).toBe('skip');
      expect(db.reason).toBe(
        `demo-db's volume is on node ${NODE1} (local-path): while that node is down the database is unavailable; data returns with the node (not tested: its node ${NODE1} was not stopped; ${NODE2} was)`,
      );
    } finally {
      await destroy(d);
    }
  });

  test('demo with its database on the failed node: verify says so and reads its marker back after the node returns', async () => {
    const d = await deployDemo('nodes-dbfail', NODE2);
    try {
      await spreadWeb(d.ns);
      const { report } = verify(d, 'node-failure', ['--timeout-seconds', '100']);
      const db = byId(report!, 'node-failure/demo-db');
      expect(db.status).toBe('pass');
      expect(db.reason).toMatch(
        new RegExp(
          `^demo-db's volume is on node ${NODE2} \\(local-path\\): while that node is down the database is unavailable; data returns with the node\\. Node ${NODE2} was stopped and came back after [0-9.]+ s; demo-db-0 ready [0-9.]+ s later, marker read back intact$`,
        ),
      );
      expect(db.details.marker.found).toBe(true);
      // The web tier depends on the database (/readyz pings it), so its figures show the outage.
      const web = byId(report!, 'node-failure/demo-web');
      process.stdout.write(`NODE-FAILURE WITH DB FIGURES ${JSON.stringify({ status: web.status, reason: web.reason })}\n`);
    } finally {
      await destroy(d);
    }
  });
});
