import { ExternalMongoDatabase, MongoDatabase, WebApp } from '../../../constructs';
import { build, buildOk, find, kinds, workload } from '../helpers';

const web = { image: 'berth.local/demo-web:0.1.0', port: 8080 };

/** Resolve the env a pod would see: envFrom ConfigMaps, then env (ConfigMap values looked up). */
function envOf(docs: any[], deploymentName: string): Record<string, unknown> {
  const c0 = find(docs, 'Deployment', deploymentName).spec.template.spec.containers[0];
  const out: Record<string, unknown> = {};
  for (const ef of c0.envFrom ?? []) Object.assign(out, find(docs, 'ConfigMap', ef.configMapRef.name).data);
  for (const e of c0.env ?? []) out[e.name] = e.value ?? e.valueFrom;
  return out;
}

describe('WebApp + MongoDatabase wiring', () => {
  const docs = buildOk((c) => {
    const db = new MongoDatabase(c, 'db', { databaseName: 'shop' });
    new WebApp(c, 'web', { ...web, database: db });
  });
  const svc = find(docs, 'Service', 'test-db');
  const sts = find(docs, 'StatefulSet', 'test-db');
  const secret = find(docs, 'Secret');
  const env = envOf(docs, 'test-web');

  test('MONGO_URL comes from the ConfigMap and names the client Service, its port and the database', () => {
    expect(find(docs, 'ConfigMap', 'test-web-config').data.MONGO_URL).toBe(`mongodb://${svc.metadata.name}:${svc.spec.ports[0].port}/shop?authSource=admin`);
    expect(env.MONGO_URL).toBe('mongodb://test-db:27017/shop?authSource=admin');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
  });

  test('credentials come from the database Secret via secretKeyRef, never as values', () => {
    expect(env.MONGO_USERNAME).toEqual({ secretKeyRef: { name: secret.metadata.name, key: 'username' } });
    expect(env.MONGO_PASSWORD).toEqual({ secretKeyRef: { name: secret.metadata.name, key: 'password' } });
    // the same keys the database itself uses for its root user
    const dbEnv = sts.spec.template.spec.containers[0].env;
    expect(dbEnv[0].valueFrom).toEqual(env.MONGO_USERNAME);
    expect(dbEnv[1].valueFrom).toEqual(env.MONGO_PASSWORD);
  });

  test('the contract annotations agree with the wiring', () => {
    expect(sts.metadata.annotations['berth.dev/mongo-service']).toBe(svc.metadata.name);
    expect(sts.metadata.annotations['berth.dev/mongo-secret']).toBe(secret.metadata.name);
    expect(sts.metadata.annotations['berth.dev/mongo-database']).toBe('shop');
  });
});

test('env names can be renamed; credential vars come first so $(VAR) can use them', () => {
  const docs = buildOk((c) => {
    const db = new MongoDatabase(c, 'db');
    new WebApp(c, 'web', {
      ...web,
      database: db,
      databaseEnv: { url: 'DB_URL', username: 'DB_USER', password: 'DB_PASS' },
      env: { FULL_URL: 'mongodb://$(DB_USER):$(DB_PASS)@test-db:27017/' },
    });
  });
  const c0 = workload(docs, 'Deployment').container;
  expect(c0.env.map((e: any) => e.name)).toEqual(['DB_USER', 'DB_PASS', 'FULL_URL']);
  expect(find(docs, 'ConfigMap').data).toEqual({ DB_URL: 'mongodb://test-db:27017/app?authSource=admin' });
});

test('ferretdb wires credentials like mongodb: authSource=admin URL, user and password from its Secret', () => {
  const docs = buildOk((c) => {
    const db = new MongoDatabase(c, 'db', { engine: 'ferretdb', databaseName: 'demo' });
    new WebApp(c, 'web', { ...web, database: db });
  });
  const env = envOf(docs, 'test-web');
  expect(env).toEqual({
    MONGO_URL: 'mongodb://test-db:27017/demo?authSource=admin',
    MONGO_USERNAME: { secretKeyRef: { name: 'test-db-credentials', key: 'username' } },
    MONGO_PASSWORD: { secretKeyRef: { name: 'test-db-credentials', key: 'password' } },
  });
});

test('ferretdb with auth: false: only MONGO_URL (no authSource), no credential env', () => {
  const docs = buildOk((c) => {
    const db = new MongoDatabase(c, 'db', { engine: 'ferretdb', databaseName: 'demo', auth: false });
    new WebApp(c, 'web', { ...web, database: db });
  });
  const env = envOf(docs, 'test-web');
  expect(env).toEqual({ MONGO_URL: 'mongodb://test-db:27017/demo' });
});

test('existing Secret of the database is what the WebApp reads', () => {
  const docs = buildOk((c) => {
    const db = new MongoDatabase(c, 'db', { existingSecret: { name: 'prod-mongo', usernameKey: 'user', passwordKey: 'pass' } });
    new WebApp(c, 'web', { ...web, database: db });
  });
  const env = envOf(docs, 'test-web');
  expect(env.MONGO_USERNAME).toEqual({ secretKeyRef: { name: 'prod-mongo', key: 'user' } });
  expect(env.MONGO_PASSWORD).toEqual({ secretKeyRef: { name: 'prod-mongo', key: 'pass' } });
});

describe('external database', () => {
  test('host: an ExternalName Service gives pods a stable in-cluster name', () => {
    const docs = buildOk((c) => {
      const db = new ExternalMongoDatabase(c, 'mongo', { host: 'mongo.example.com', databaseName: 'orders', credentialsSecret: 'orders-creds' });
      new WebApp(c, 'web', { ...web, database: db });
    });
    expect(kinds(docs)).toContain('Service/test-mongo');
    const svc = find(docs, 'Service', 'test-mongo');
    expect(svc.spec).toEqual({ type: 'ExternalName', externalName: 'mongo.example.com', ports: [{ name: 'mongodb', port: 27017 }] });
    const env = envOf(docs, 'test-web');
    expect(env.MONGO_URL).toBe('mongodb://test-mongo:27017/orders?authSource=admin');
    expect(env.MONGO_USERNAME).toEqual({ secretKeyRef: { name: 'orders-creds', key: 'username' } });
  });

  test('url: used as is, no Service, no credentials without a Secret', () => {
    const docs = buildOk((c) => {
      const db = new ExternalMongoDatabase(c, 'mongo', { url: 'mongodb+srv://cluster0.example.net/orders?retryWrites=true' });
      expect(db.connectionConfig.databaseName).toBe('orders');
      expect(db.connectionConfig.serviceHost).toBe('cluster0.example.net');
      new WebApp(c, 'web', { ...web, database: db });
    });
    expect(kinds(docs).filter((k) => k.startsWith('Service/'))).toEqual(['Service/test-web']);
    expect(envOf(docs, 'test-web')).toEqual({ MONGO_URL: 'mongodb+srv://cluster0.example.net/orders?retryWrites=true' });
  });

  test('the credentials Secret is declared external, so the reference check accepts it', () => {
    const b = build((c) => {
      const db = new ExternalMongoDatabase(c, 'mongo', { url: 'mongodb://db.example.com/x', credentialsSecret: 'ext-creds' });
      new WebApp(c, 'web', { ...web, database: db });
    });
    expect(b.problems).toEqual([]);
  });
});
