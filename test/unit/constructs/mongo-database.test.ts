import { MongoDatabase } from '../../../constructs';
import { build, buildOk, find, kinds, workload } from '../helpers';

describe('MongoDatabase (engine mongodb, defaults)', () => {
  const docs = buildOk((c) => new MongoDatabase(c, 'db'));
  const { obj: sts, pod, container: c0 } = workload(docs, 'StatefulSet', 'test-db');

  test('Secret, client and headless Services and StatefulSet with readable names', () => {
    expect(kinds(docs)).toEqual(['Secret/test-db-credentials', 'Service/test-db', 'Service/test-db-headless', 'StatefulSet/test-db']);
  });

  test('the Secret holds only the user name; the password is generated at deploy time', () => {
    const secret = find(docs, 'Secret');
    expect(secret.data).toEqual({ username: Buffer.from('root').toString('base64') });
    expect(secret.stringData).toBeUndefined();
    expect(secret.metadata.annotations).toEqual({ 'berth.dev/generate-keys': 'password' });
  });

  test('clients get a ClusterIP Service on 27017 (named port), selecting the pods', () => {
    const svc = find(docs, 'Service', 'test-db');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.clusterIP).toBeUndefined();
    expect(svc.spec.publishNotReadyAddresses).toBeUndefined();
    expect(svc.spec.ports).toEqual([{ name: 'mongodb', port: 27017, targetPort: 'mongodb' }]);
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
  });

  test('a headless Service governs the StatefulSet and publishes the pod name before it is ready', () => {
    const headless = find(docs, 'Service', 'test-db-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(sts.spec.serviceName).toBe('test-db-headless');
  });

  test('pinned official image, root credentials from the Secret, data in /data/db', () => {
    expect(c0.image).toBe('mongo:7.0.14');
    expect(c0.imagePullPolicy).toBe('IfNotPresent');
    expect(c0.env).toEqual([
      { name: 'MONGO_INITDB_ROOT_USERNAME', valueFrom: { secretKeyRef: { name: 'test-db-credentials', key: 'username' } } },
      { name: 'MONGO_INITDB_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'test-db-credentials', key: 'password' } } },
      { name: 'MONGO_INITDB_DATABASE', value: 'app' },
    ]);
    expect(c0.volumeMounts).toEqual([{ name: 'data', mountPath: '/data/db' }]);
  });

  test('one PVC per replica from volumeClaimTemplates, kept when the StatefulSet goes', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data', labels: sts.metadata.labels },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(pod.volumes).toBeUndefined();
  });

  test("runs as the image's mongodb user (999) with a writable volume, not as root", () => {
    expect(c0.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, runAsNonRoot: true, allowPrivilegeEscalation: false });
    expect(pod.securityContext).toMatchObject({ fsGroup: 999, runAsNonRoot: true });
  });

  test('probes: startup and liveness on TCP, readiness with a mongosh ping', () => {
    expect(c0.startupProbe.tcpSocket).toEqual({ port: 27017 });
    expect(c0.livenessProbe.tcpSocket).toEqual({ port: 27017 });
    expect(c0.readinessProbe.exec.command).toEqual(['mongosh', '--quiet', '--norc', '--eval', "db.adminCommand('ping').ok"]);
    expect(c0.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
  });

  test('contract annotations', () => {
    expect(sts.metadata.annotations).toEqual({
      'berth.dev/role': 'mongo-database',
      'berth.dev/mongo-service': 'test-db',
      'berth.dev/mongo-port': '27017',
      'berth.dev/mongo-database': 'app',
      'berth.dev/mongo-secret': 'test-db-credentials',
      'berth.dev/mongo-engine': 'mongodb',
      'berth.dev/storage': 'persistent',
    });
  });
});

describe('MongoDatabase props', () => {
  test('storage as a size string, or size + storageClassName', () => {
    const a = find(
      buildOk((c) => new MongoDatabase(c, 'db', { storage: '5Gi' })),
      'StatefulSet',
    );
    expect(a.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
    const b = find(
      buildOk((c) => new MongoDatabase(c, 'db', { storage: { size: '2Gi', storageClassName: 'local-path' } })),
      'StatefulSet',
    );
    expect(b.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'local-path', resources: { requests: { storage: '2Gi' } } });
  });

  test('existingSecret: no Secret is generated, env and annotation point at the existing one', () => {
    const docs = buildOk((c) => new MongoDatabase(c, 'db', { existingSecret: { name: 'prod-mongo', usernameKey: 'user', passwordKey: 'pass' } }));
    expect(kinds(docs)).toEqual(['Service/test-db', 'Service/test-db-headless', 'StatefulSet/test-db']);
    const sts = find(docs, 'StatefulSet');
    expect(sts.spec.template.spec.containers[0].env.slice(0, 2)).toEqual([
      { name: 'MONGO_INITDB_ROOT_USERNAME', valueFrom: { secretKeyRef: { name: 'prod-mongo', key: 'user' } } },
      { name: 'MONGO_INITDB_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'prod-mongo', key: 'pass' } } },
    ]);
    expect(sts.metadata.annotations['berth.dev/mongo-secret']).toBe('prod-mongo');
  });

  test('image, pull policy, database name, user name, resources', () => {
    const docs = buildOk(
      (c) =>
        new MongoDatabase(c, 'db', {
          image: 'mongo:7.0.12',
          imagePullPolicy: 'Always',
          databaseName: 'shop',
          username: 'admin',
          resources: { memoryLimit: '2Gi' },
        }),
    );
    const c0 = workload(docs, 'StatefulSet').container;
    expect(c0.image).toBe('mongo:7.0.12');
    expect(c0.imagePullPolicy).toBe('Always');
    expect(c0.env[2]).toEqual({ name: 'MONGO_INITDB_DATABASE', value: 'shop' });
    expect(c0.resources.limits.memory).toBe('2Gi');
    expect(find(docs, 'Secret').data.username).toBe(Buffer.from('admin').toString('base64'));
  });

  test('engine ferretdb: SQLite args + new auth, setup user from the generated Secret, local image, TCP readiness', () => {
    const docs = buildOk((c) => new MongoDatabase(c, 'db', { engine: 'ferretdb', databaseName: 'demo' }));
    expect(kinds(docs)).toEqual(['Secret/test-db-credentials', 'Service/test-db', 'Service/test-db-headless', 'StatefulSet/test-db']);
    const c0 = workload(docs, 'StatefulSet').container;
    expect(c0.args).toEqual([
      '--handler=sqlite',
      '--sqlite-url=file:/data/db/',
      '--state-dir=/data/db',
      '--listen-addr=:27017',
      '--telemetry=disable',
      '--test-enable-new-auth=true',
    ]);
    expect(c0.env).toEqual([
      { name: 'FERRETDB_SETUP_USERNAME', valueFrom: { secretKeyRef: { name: 'test-db-credentials', key: 'username' } } },
      { name: 'FERRETDB_SETUP_PASSWORD', valueFrom: { secretKeyRef: { name: 'test-db-credentials', key: 'password' } } },
      { name: 'FERRETDB_SETUP_DATABASE', value: 'admin' },
    ]);
    expect(find(docs, 'Secret').metadata.annotations['berth.dev/generate-keys']).toBe('password');
  });

  test('engine ferretdb, auth: false: SQLite args, no credentials', () => {
    const docs = buildOk((c) => new MongoDatabase(c, 'db', { engine: 'ferretdb', databaseName: 'demo', auth: false }));
    expect(kinds(docs)).toEqual(['Service/test-db', 'Service/test-db-headless', 'StatefulSet/test-db']);
    const sts = find(docs, 'StatefulSet');
    const c0 = sts.spec.template.spec.containers[0];
    expect(c0.image).toBe('berth.local/ferretdb:1.24.0');
    expect(c0.args).toEqual(['--handler=sqlite', '--sqlite-url=file:/data/db/', '--state-dir=/data/db', '--listen-addr=:27017', '--telemetry=disable']);
    expect(c0.env).toBeUndefined();
    expect(c0.readinessProbe.tcpSocket).toEqual({ port: 27017 });
    expect(c0.securityContext.runAsUser).toBe(65532);
    expect(sts.metadata.annotations['berth.dev/mongo-engine']).toBe('ferretdb');
    expect(sts.metadata.annotations['berth.dev/mongo-secret']).toBeUndefined();
  });

  test('UNSAFE ephemeral storage: emptyDir, no PVC, marked in an annotation', () => {
    const sts = find(
      buildOk((c) => new MongoDatabase(c, 'db', { storage: { ephemeral: true } })),
      'StatefulSet',
    );
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    expect(sts.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
    expect(sts.metadata.annotations['berth.dev/storage']).toBe('ephemeral');
  });

  test('auth off for mongodb: no Secret, no root env', () => {
    const b = build((c) => new MongoDatabase(c, 'db', { auth: false }));
    expect(b.problems).toEqual([]);
    expect(kinds(b.docs)).toEqual(['Service/test-db', 'Service/test-db-headless', 'StatefulSet/test-db']);
    expect(workload(b.docs, 'StatefulSet').container.env).toEqual([{ name: 'MONGO_INITDB_DATABASE', value: 'app' }]);
  });
});
