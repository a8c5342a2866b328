import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTarget, distFile } from '../../../src/verify/target';
import { parseManifest } from '../../../src/dist';
import { selectorString } from '../../../src/contract';
const parseManifests = (text: string, file: string) => parseManifest(text, file, 'demo') as any[];

const DIST = `
apiVersion: v1
kind: Service
metadata: {name: demo-web}
spec: {ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo-web
  namespace: shop
  annotations:
    berth.dev/role: web-app
    berth.dev/web-service: demo-web
    berth.dev/web-health-path: /readyz
    berth.dev/web-host: demo.local
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/instance: demo-web}}
  template:
    spec:
      containers:
        - name: web
          env:
            - {name: MONGO_URL, valueFrom: {configMapKeyRef: {name: demo-web-config, key: MONGO_URL}}}
            - {name: MONGO_PASSWORD, valueFrom: {secretKeyRef: {name: demo-db-credentials, key: password}}}
            - {name: PORT, value: "8080"}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: demo-db
  namespace: shop
  annotations:
    berth.dev/role: mongo-database
    berth.dev/mongo-service: demo-db
    berth.dev/mongo-port: "27017"
    berth.dev/mongo-database: app
    berth.dev/mongo-secret: demo-db-credentials
    berth.dev/mongo-engine: mongodb
spec:
  selector: {matchLabels: {app.kubernetes.io/instance: demo-db}}
  template:
    spec:
      containers:
        - name: mongod
          env:
            - {name: MONGO_INITDB_ROOT_USERNAME, valueFrom: {secretKeyRef: {name: demo-db-credentials, key: user}}}
            - {name: MONGO_INITDB_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: demo-db-credentials, key: pw}}}
  volumeClaimTemplates:
    - metadata: {name: data}
`;

describe('verify target from dist/', () => {
  const objects = parseManifests(DIST, 'dist/demo.k8s.yaml');

  test('finds WebApps and databases by the contract annotations', () => {
    const t = buildTarget('demo', 'dist/demo.k8s.yaml', objects);
    expect(t.namespace).toBe('shop');
    expect(t.webApps).toEqual([
      expect.objectContaining({ name: 'demo-web', replicas: 2, service: 'demo-web', port: 80, healthPath: '/readyz', host: 'demo.local' }),
    ]);
    expect(t.webApps[0].env.map((e) => `${e.name}:${e.source}`)).toEqual(['MONGO_URL:configMap', 'MONGO_PASSWORD:secret', 'PORT:value']);
    expect(t.databases[0]).toEqual(
      expect.objectContaining({ name: 'demo-db', replicas: 1, port: 27017, database: 'app', secret: 'demo-db-credentials', claimTemplates: ['data'] }),
    );
    expect(t.databases[0].credentialKeys).toEqual({ username: 'user', password: 'pw' });
    expect(selectorString(t.databases[0].selector)).toBe('app.kubernetes.io/instance=demo-db');
  });

  test('objects find their namespace as deploy placed them: their own, else the target namespace', () => {
    // The manifests name "shop": deploy put them there whatever --namespace or the context said.
    const t = buildTarget('demo', 'f', objects, 'other');
    expect(t.namespace).toBe('shop');
    expect(t.webApps[0].namespace).toBe('shop');
    // Objects that name none went to the target namespace (--namespace, else the context's).
    const bare = parseManifests(DIST.replace(/^ {2}namespace: shop\n/gm, ''), 'f');
    expect(bare.every((o) => o.metadata.namespace === undefined)).toBe(true);
    const u = buildTarget('demo', 'f', bare, 'team-a');
    expect(u.namespace).toBe('team-a');
    expect(u.webApps[0].namespace).toBe('team-a');
    expect(u.databases[0].namespace).toBe('team-a');
    expect(buildTarget('demo', 'f', bare).namespace).toBe('default');
  });

  test('a database with an emptyDir has no claim templates and reports its volume', () => {
    const sts = parseManifests(
      `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, annotations: {berth.dev/role: mongo-database, berth.dev/mongo-service: db, berth.dev/mongo-engine: ferretdb}}
spec: {template: {spec: {volumes: [{name: data, emptyDir: {}}]}}}`,
      'f',
    );
    const db = buildTarget('x', 'f', sts).databases[0];
    expect(db.claimTemplates).toEqual([]);
    expect(db.podVolumes).toEqual([{ name: 'data', type: 'emptyDir' }]);
    expect(db.secret).toBeUndefined();
  });

  test('a bad port annotation names the object and the value', () => {
    const bad = parseManifests(DIST.replace('berth.dev/mongo-port: "27017"', 'berth.dev/mongo-port: "http"'), 'dist/demo.k8s.yaml');
    expect(() => buildTarget('demo', 'dist/demo.k8s.yaml', bad)).toThrow(/StatefulSet demo-db annotation berth.dev\/mongo-port .*"http"/);
  });

  test('manifests without berth workloads are rejected', () => {
    expect(() => buildTarget('x', 'dist/x.k8s.yaml', parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', 'f'))).toThrow(
      /no workload annotated berth.dev\/role/,
    );
  });

  test('distFile picks the only app, or asks for --app', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-dist-'));
    expect(() => distFile(path.join(dir, 'missing'))).toThrow(/does not exist: run `berth synth`/);
    fs.writeFileSync(path.join(dir, 'demo.k8s.yaml'), DIST);
    expect(distFile(dir)).toEqual({ app: 'demo', file: path.join(dir, 'demo.k8s.yaml') });
    fs.writeFileSync(path.join(dir, 'other.k8s.yaml'), DIST);
    expect(() => distFile(dir)).toThrow(/2 apps \(demo, other\): choose one with --app/);
    expect(() => distFile(dir, 'nope')).toThrow(/no manifests for app "nope"/);
    expect(distFile(dir, 'other').app).toBe('other');
  });
});
