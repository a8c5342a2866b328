/**
 * The Mongo-wire database (FerretDB, SQLite on a PVC) accepts a write through
 * the Node `mongodb` driver, reached from the host via a NodePort, and still
 * has it after its pod is deleted and re-created by its StatefulSet.
 */
import { MongoClient } from 'mongodb';
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { apply, createNamespace, deleteNamespace, FERRETDB, get, kubectl, suffix, waitFor, waitPodReady } from './k8s';

jest.setTimeout(6 * 60_000);

let ns: string | undefined;

beforeAll(async () => {
  ns = await createNamespace('cluster-mongo');
});
afterAll(() => deleteNamespace(ns));

async function withMongo<T>(url: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000 });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.close();
  }
}

test('a write survives deleting and re-creating the database pod', async () => {
  const namespace = ns!;
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
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } } },
      ],
    },
  });
  const svc = await apply<V1Service>(namespace, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db-external' },
    spec: { type: 'NodePort', selector: labels, ports: [{ port: 27017, targetPort: 27017 }] },
  });
  const nodePort = svc.spec!.ports![0].nodePort!;
  const url = `mongodb://127.0.0.1:${nodePort}/test?directConnection=true&retryWrites=false`;

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
