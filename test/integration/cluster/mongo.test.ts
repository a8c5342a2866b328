/**
 * The Mongo-wire database (FerretDB, SQLite on a PVC) accepts a write through
 * the Node `mongodb` driver, reached from the host via a NodePort, and still
 * has it after its pod is deleted and re-created by its StatefulSet; and no
 * acknowledged write is lost when the pod is killed without a grace period
 * while writes are in flight.
 */
import { MongoClient } from 'mongodb';
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { apply, FERRETDB, get, kubectl, namespaceForFile, suffix, waitFor, waitPodReady } from './k8s';

jest.setTimeout(6 * 60_000);

const ns = namespaceForFile('cluster-mongo');

async function withMongo<T>(url: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000 });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** The StatefulSet and a NodePort Service in front of it; the driver's URL. */
async function startDatabase(): Promise<string> {
  const namespace = ns();
  const labels = { app: 'db' };
  await apply(namespace, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'ferretdb',
              image: FERRETDB,
              imagePullPolicy: 'Never',
              ports: [{ containerPort: 27017 }],
              readinessProbe: { tcpSocket: { port: 27017 }, periodSeconds: 1 },
              volumeMounts: [{ name: 'data', mountPath: '/data/db' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } } }],
    },
  });
  const svc = await apply<V1Service>(namespace, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db-external' },
    spec: { type: 'NodePort', selector: labels, ports: [{ port: 27017, targetPort: 27017 }] },
  });
  const nodePort = svc.spec!.ports![0].nodePort!;
  return `mongodb://127.0.0.1:${nodePort}/test?directConnection=true&retryWrites=false`;
}

let url = '';

test('a write survives deleting and re-creating the database pod', async () => {
  const namespace = ns();
  url = await startDatabase();

  const first = await waitPodReady(namespace, 'db-0', 180_000);
  const marker = { _id: `marker-${suffix()}`, value: `written at ${new Date().toISOString()}` };
  // The NodePort may need a moment after the pod turns Ready (endpoints -> kube-proxy).
  await waitFor('insert through the mongodb driver', 60_000, () =>
    withMongo(url, async (m) => (await m.db('berth').collection<{ _id: string; value: string }>('markers').insertOne(marker)).acknowledged),
  );

  await kubectl(['-n', namespace, 'delete', 'pod', 'db-0', '--wait=false']);
  const second = await waitFor('db-0 re-created with a new uid', 120_000, async () => {
    const p = await get<V1Pod>(namespace, 'pod/db-0');
    return p.metadata?.uid !== first.metadata?.uid ? p : false;
  });
  expect(second.metadata?.uid).not.toBe(first.metadata?.uid);
  await waitPodReady(namespace, 'db-0', 120_000);

  const found = await waitFor('read back through the mongodb driver', 60_000, () =>
    withMongo(url, (m) => m.db('berth').collection<{ _id: string; value: string }>('markers').findOne({ _id: marker._id })),
  );
  expect(found).toEqual(marker);
});

test('no acknowledged write is lost when the database pod is killed with grace period 0 mid-write', async () => {
  const namespace = ns();
  if (!url) url = await startDatabase();
  const before = await waitPodReady(namespace, 'db-0', 180_000);
  const total = 300; // acknowledged writes wanted, about a third of them before the kill
  const acked: string[] = [];
  let failed = 0;
  let ackedAfterRestart = 0;
  let kill: Promise<string> | undefined;
  const started = Date.now();
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000, socketTimeoutMS: 5000, retryWrites: false });
  try {
    const docs = client.db('berth').collection<{ _id: string; n: number }>('crash');
    // Until `total` are acknowledged and some of them came after the restart (the kill was felt).
    for (let n = 0; (acked.length < total || ackedAfterRestart < 20) && Date.now() - started < 240_000; n++) {
      // The kill is not awaited: it lands while the next inserts are in flight.
      if (!kill && acked.length === total / 3) kill = kubectl(['-n', namespace, 'delete', 'pod', 'db-0', '--grace-period=0', '--force', '--wait=false']);
      try {
        const r = await docs.insertOne({ _id: `w-${n}`, n });
        if (!r.acknowledged) continue;
        acked.push(`w-${n}`);
        if (kill && failed > 0) ackedAfterRestart++;
      } catch {
        failed++; // not acknowledged: the client may not count on it
        await new Promise((res) => setTimeout(res, 200));
      }
    }
    await kill;
  } finally {
    await client.close();
  }
  const after = await waitPodReady(namespace, 'db-0', 120_000);
  expect(after.metadata?.uid).not.toBe(before.metadata?.uid);
  expect(failed).toBeGreaterThan(0); // the kill was felt by the writer
  expect(ackedAfterRestart).toBeGreaterThanOrEqual(20);
  const found = await withMongo(url, async (m) =>
    (
      await m
        .db('berth')
        .collection<{ _id: string }>('crash')
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => d._id),
  );
  const lost = acked.filter((id) => !found.includes(id));
  process.stdout.write(
    `crash-writes: ${acked.length} acknowledged (${ackedAfterRestart} after the restart), ${failed} failed while the pod was down, ${lost.length} lost, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  expect(lost).toEqual([]);
  expect(acked.length).toBeGreaterThanOrEqual(total);
});
