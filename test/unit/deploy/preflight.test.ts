/**
 * deploy's refusals come before its first change: against a fake API server
 * holding a deployed app, each refusal leaves the server without a single
 * write request (only GETs), and the error says which flag allows it.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { deploy } from '../../../src/deploy';
import { RefusedError } from '../../../src/errors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-preflight-'));
const dist = path.join(tmp, 'dist');
const kubeconfig = path.join(tmp, 'kubeconfig');
const requests: string[] = [];
let server: http.Server;

const berthApplied = [{ manager: 'berth', operation: 'Apply' }];
const labels = { 'berth.dev/app': 'demo' };
const deployment = {
  metadata: { name: 'demo-web', namespace: 'ns', labels, managedFields: berthApplied, uid: 'd1' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
};
const config = { metadata: { name: 'demo-config', namespace: 'ns', labels, managedFields: berthApplied, uid: 'c1' }, data: { a: '1' } };
const statefulSet = {
  metadata: { name: 'demo-db', namespace: 'ns', labels, managedFields: berthApplied, uid: 's1' },
  spec: {
    serviceName: 'demo-db',
    podManagementPolicy: 'OrderedReady',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'mongo' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
};

const RESOURCES: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
  '/api/v1': [
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'pods', kind: 'Pod', namespaced: true },
  ],
  '/apis/apps/v1': [
    { name: 'deployments', kind: 'Deployment', namespaced: true },
    { name: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  ],
  '/apis/storage.k8s.io/v1': [{ name: 'storageclasses', kind: 'StorageClass', namespaced: false }],
};
const LISTS: Record<string, unknown[]> = {
  '/apis/apps/v1/namespaces/ns/deployments': [deployment],
  '/apis/apps/v1/namespaces/ns/statefulsets': [statefulSet],
  '/api/v1/namespaces/ns/configmaps': [config],
  '/apis/storage.k8s.io/v1/storageclasses': [{ metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }],
};
const OBJECTS: Record<string, unknown> = {
  '/api/v1/namespaces/team': { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { owner: 'someone' } } },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    requests.push(`${req.method} ${u.pathname}`);
    res.setHeader('content-type', 'application/json');
    const notFound = () => {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', reason: 'NotFound', code: 404, message: 'not found' }));
    };
    if (req.method !== 'GET') return notFound();
    if (u.pathname === '/version') return res.end(JSON.stringify({ gitVersion: 'v1.31.0' }));
    if (RESOURCES[u.pathname]) return res.end(JSON.stringify({ resources: RESOURCES[u.pathname] }));
    if (OBJECTS[u.pathname]) return res.end(JSON.stringify(OBJECTS[u.pathname]));
    const selector = u.searchParams.get('labelSelector');
    if (LISTS[u.pathname]) {
      const items = (LISTS[u.pathname] as { metadata: { labels?: Record<string, string> } }[]).filter(
        (i) => !selector || selector === `berth.dev/app=${i.metadata.labels?.['berth.dev/app']}`,
      );
      return res.end(JSON.stringify({ items, metadata: {} }));
    }
    if (/\/namespaces\/[^/]+\/[a-z]+$/.test(u.pathname) || /\/(namespaces|storageclasses)$/.test(u.pathname))
      return res.end(JSON.stringify({ items: [], metadata: {} }));
    notFound();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fs.writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: f, cluster: {server: "${url}"}}]\nusers: [{name: u, user: {token: x}}]\ncontexts: [{name: f, context: {cluster: f, user: u, namespace: ns}}]\ncurrent-context: f\n`,
  );
  fs.mkdirSync(dist);
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function refusal(manifest: string, opts: Record<string, unknown> = {}): Promise<RefusedError> {
  fs.writeFileSync(path.join(dist, 'demo.k8s.yaml'), manifest);
  requests.length = 0;
  const e = await deploy({ kubeconfig, dist, app: 'demo', progress: 'silent', timeout: '20s', ...opts }).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(RefusedError);
  expect(requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
  return e as RefusedError;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: demo-web}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: x}]}}
`;
const STS = (size: string, extra = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: demo-db}
spec:
  serviceName: demo-db
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: mongo}]}}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: ${size}}}${extra}}}]
`;

it('an empty manifest: refused, nothing written, --allow-empty-prune named', async () => {
  const e = await refusal('');
  expect(e.message).toMatch(/demo\.k8s\.yaml has no objects, so prune would delete all 3 object\(s\) of app demo/);
  expect(e.hint).toContain('--allow-empty-prune');
});

it('a manifest that lost every workload: refused', async () => {
  const e = await refusal('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo-config}\ndata: {a: "1"}\n');
  expect(e.message).toMatch(/no workloads, so prune would delete every workload of app demo: Deployment ns\/demo-web, StatefulSet ns\/demo-db/);
});

it('a Namespace that exists without the app label: conflict naming it, nothing written', async () => {
  const e = await refusal(
    `apiVersion: v1\nkind: Namespace\nmetadata: {name: team, annotations: {berth.dev/allow-kind: Namespace}}\n---\n${DEPLOYMENT}---\n${STS('1Gi')}`,
  );
  expect(e.message).toContain('Namespace team');
  expect(e.hint).toContain('--adopt');
});

it('an undeclared ClusterRoleBinding: refused before any request at all', async () => {
  const e = await refusal(
    `${DEPLOYMENT}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n`,
  );
  expect(e.message).toContain('ClusterRoleBinding admin');
  expect(requests).toEqual(['GET /version']);
});

it('a new storage class for the claims: data loss refused, naming --allow-data-loss', async () => {
  const e = await refusal(`${DEPLOYMENT}---\n${STS('1Gi', ', storageClassName: fast')}`);
  expect(e.message).toMatch(/would lose data:[\s\S]*StatefulSet ns\/demo-db must be replaced[\s\S]*DATA LOSS: a new storage class/);
  expect(e.hint).toContain('--allow-data-loss');
});
