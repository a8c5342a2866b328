import { MongoDatabase, WebApp } from '../../../constructs';
import { looksLikeCredential, redactText, redactUrls, urlCredentials } from '../../../constructs/credentials';
import { show } from '../../../constructs/problems';
import { fillGeneratedKeys } from '../../../src/deploy/secrets';
import { build, buildOk, find, kinds, workload } from '../helpers';

const base = { image: 'web:1.0.0', port: 8080, replicas: 1 };
const containerOf = (docs: any[]) => workload(docs, 'Deployment').container;

describe('secretEnv', () => {
  test('generated keys: a Secret with the generate-keys annotation and no value, read by env', () => {
    const docs = buildOk(
      (c) =>
        new WebApp(c, 'web', {
          ...base,
          secretEnv: { SESSION_SECRET: { generate: true }, CSRF_KEY: { generate: true } },
          env: { SESSION_OPTS: 'secret=$(SESSION_SECRET)' },
        }),
    );
    expect(kinds(docs)).toEqual(['ConfigMap/test-web-config', 'Secret/test-web-secrets', 'Deployment/test-web', 'Service/test-web']);
    const secret = find(docs, 'Secret');
    expect(secret.metadata.annotations).toEqual({ 'berth.dev/generate-keys': 'SESSION_SECRET,CSRF_KEY' });
    expect(secret.data).toBeUndefined();
    expect(secret.metadata.labels['berth.dev/app']).toBe('test');
    expect(containerOf(docs).env).toEqual([
      { name: 'SESSION_SECRET', valueFrom: { secretKeyRef: { name: 'test-web-secrets', key: 'SESSION_SECRET' } } },
      { name: 'CSRF_KEY', valueFrom: { secretKeyRef: { name: 'test-web-secrets', key: 'CSRF_KEY' } } },
      { name: 'SESSION_OPTS', value: 'secret=$(SESSION_SECRET)' },
    ]);
  });

  test('deploy fills a generated key once and keeps it on the next deploy', () => {
    const docs = buildOk((c) => new WebApp(c, 'web', { ...base, secretEnv: { SESSION_SECRET: { generate: true } } }));
    const desired = find(docs, 'Secret');
    const first = fillGeneratedKeys(desired, undefined);
    expect(first.generated).toEqual(['SESSION_SECRET']);
    const value = Buffer.from(first.obj.data!.SESSION_SECRET, 'base64').toString();
    expect(value).toMatch(/^[A-Za-z0-9]{32}$/);
    const second = fillGeneratedKeys(desired, first.obj);
    expect(second.generated).toEqual([]);
    expect(second.obj.data!.SESSION_SECRET).toBe(first.obj.data!.SESSION_SECRET);
  });

  test('an existing Secret is declared external; no Secret is made', () => {
    const b = build((c) => new WebApp(c, 'web', { ...base, secretEnv: { STRIPE_KEY: { secretName: 'stripe', key: 'api-key' } } }));
    expect(b.problems).toEqual([]);
    expect(b.chart.isExternal('Secret', 'stripe')).toBe(true);
    expect(kinds(b.docs)).not.toContain('Secret/test-web-secrets');
    expect(containerOf(b.docs).env).toEqual([{ name: 'STRIPE_KEY', valueFrom: { secretKeyRef: { name: 'stripe', key: 'api-key' } } }]);
  });

  test('a key of a Secret in the app is still checked', () => {
    const b = build((c) => {
      new MongoDatabase(c, 'db');
      new WebApp(c, 'web', { ...base, secretEnv: { ROOT_PW: { secretName: 'test-db-credentials', key: 'passwd' } } });
    });
    expect(b.problems).toEqual([
      '[test] Deployment "test-web" (test/web/deployment): container web env ROOT_PW reads key "passwd" of Secret "test-db-credentials", which has only "username", "password"',
    ]);
  });

  test('order: database credentials, then secretEnv, then plain env', () => {
    const docs = buildOk(
      (c) =>
        new WebApp(c, 'web', {
          ...base,
          database: new MongoDatabase(c, 'db'),
          secretEnv: { TOKEN: { generate: true } },
          env: { A: '1' },
        }),
    );
    expect(containerOf(docs).env.map((e: any) => e.name)).toEqual(['MONGO_USERNAME', 'MONGO_PASSWORD', 'TOKEN', 'A']);
  });

  test('{ generate: true } together with secretName is refused', () => {
    const b = build((c) => new WebApp(c, 'web', { ...base, secretEnv: { T: { generate: true, secretName: 's', key: 'k' } as any } }));
    expect(b.problems).toEqual([
      '[test/web] secretEnv.T = {"generate":true,"secretName":"s","key":"k"}: must be { generate: true } or { secretName: \'api-keys\', key: \'token\' }, not both',
    ]);
  });
});

describe('names that look like credentials', () => {
  test.each([
    'DB_PASSWORD',
    'API_TOKEN',
    'JWT_SECRET',
    'SECRET_KEY_BASE',
    'stripeApiKey',
    'AWS_SECRET_ACCESS_KEY',
    'PRIVATE_KEY',
    'GOOGLE_CREDENTIALS',
    'db.passwd',
    'SMTP_PASS',
    'GITHUB_TOKEN',
    'client-secret',
    'PASSWORD',
  ])('%s is a credential', (name) => expect(looksLikeCredential(name)).toBe(true));

  test.each([
    'TOKEN_TTL_SECONDS',
    'SECRET_NAME',
    'DB_PASSWORD_FILE',
    'API_KEY_HEADER',
    'AWS_ACCESS_KEY_ID',
    'TOKEN_URL',
    'PWD',
    'PASSWORD_MIN_LENGTH',
    'authSource',
    'LOG_LEVEL',
    'KEYCLOAK_REALM',
    'PUBLIC_KEY',
    'TOKENIZER_MODEL',
    'MONGO_URL',
  ])('%s is not a credential', (name) => expect(looksLikeCredential(name)).toBe(false));

  test('these pass as plain env and config', () => {
    buildOk(
      (c) =>
        new WebApp(c, 'web', {
          ...base,
          env: { TOKEN_TTL_SECONDS: '3600', SECRET_NAME: 'app-keys', DB_PASSWORD_FILE: '/run/secrets/db', API_TOKEN: '' },
          config: { API_KEY_HEADER: 'X-Api-Key', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' },
        }),
    );
  });

  test('a value made only of $(NAME) references holds no secret', () => {
    buildOk((c) => new WebApp(c, 'web', { ...base, database: new MongoDatabase(c, 'db'), env: { DB_PASSWORD: '$(MONGO_PASSWORD)' } }));
  });

  test('allowPlainEnv lets a false positive through', () => {
    buildOk((c) => new WebApp(c, 'web', { ...base, env: { TOKEN_AUDIENCE_HINT: 'web' }, allowPlainEnv: ['TOKEN_AUDIENCE_HINT'] }));
    expect(build((c) => new WebApp(c, 'web', { ...base, env: { TOKEN_AUDIENCE_HINT: 'web' } })).problems).toHaveLength(1);
  });
});

describe('URLs with credentials', () => {
  test.each([
    ['mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@db:27017/?authSource=admin', []],
    ['mongodb://app@db/app?authMechanism=MONGODB-X509', []],
    ['https://api.example.com:8443/users/@me', []],
    ['mongodb://db/app?authSource=admin&retryWrites=true', []],
    ['mongodb://u:p%40ss@db/app', ['user info (user:password@)']],
    ['mongodb://h1:27017,h2:27017/app?replicaSet=rs0&password=x', ['query option "password"']],
    ['mongodb://db/app?authMechanismProperties=SERVICE_NAME:mongodb,AWS_SESSION_TOKEN:abc', ['query option "authMechanismProperties AWS_SESSION_TOKEN"']],
    ['see https://u:pw@a.example/x and ftp://b.example/?token=t', ['user info (user:password@)', 'query option "token"']],
  ])('%s', (text, where) => {
    expect(urlCredentials(text).map((f) => f.where)).toEqual(where);
  });

  test('redaction masks every credential and keeps the rest', () => {
    expect(redactUrls('x=mongodb://u:s3cr%40t@h1,h2/db?authSource=admin&password=p4ss&authMechanismProperties=AWS_SESSION_TOKEN:t0k y')).toBe(
      'x=mongodb://u:***@h1,h2/db?authSource=admin&password=***&authMechanismProperties=AWS_SESSION_TOKEN:*** y',
    );
  });

  test('wrongly shaped text is masked: URL credentials and NAME=value pairs named like credentials', () => {
    expect(redactText('DB_PASSWORD=s1 LOG=debug --api-token=s2 --port=80 TOKEN=$(T) x=mongodb://u:s3@h/?password=s4')).toBe(
      'DB_PASSWORD=*** LOG=debug --api-token=*** --port=80 TOKEN=$(T) x=mongodb://u:***@h/?password=***',
    );
  });

  test('the demo pattern ($(VAR) in user info of an env value) is accepted', () => {
    buildOk(
      (c) =>
        new WebApp(c, 'web', {
          ...base,
          database: new MongoDatabase(c, 'db'),
          env: { ME_CONFIG_MONGODB_URL: 'mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@test-db:27017/?authSource=admin' },
        }),
    );
  });
});

test('values in messages: NaN and Infinity as JavaScript writes them, newlines escaped', () => {
  expect(show(NaN)).toBe('NaN');
  expect(show(-Infinity)).toBe('-Infinity');
  expect(show({ a: NaN, b: [Infinity, 1] })).toBe('{"a":NaN,"b":[Infinity,1]}');
  expect(show('a\nb')).toBe('"a\\nb"');
  expect(show(undefined)).toBe('undefined');
  expect(show(null)).toBe('null');
});
