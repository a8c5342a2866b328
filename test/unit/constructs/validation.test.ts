// Long on purpose: the whole-app and schema checks of synth, one case after another.
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { ApiObject, App, Chart } from 'cdk8s';
import { BerthChart, ExternalMongoDatabase, MongoDatabase, WebApp, WebAppProps } from '../../../constructs';
import { build } from '../helpers';

const ok = { image: 'x:1', port: 80 };
/** A WebApp `web` of the valid props `ok` changed by `props`. */
const web = (props: Partial<WebAppProps>) => (c: BerthChart) => new WebApp(c, 'web', { ...ok, ...props });
const DNS1035 = "must be a DNS-1035 label: at most 63 characters, lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
const HTTP_PATH = "must start with '/' and contain only URL path characters (no spaces, no '?' or '#')";

/** Each bad input and the exact, complete list of problems synth reports for it. */
const cases: [string, (c: BerthChart) => void, string[]][] = [
  ['port out of range', web({ port: 70000 }), ['[test/web] port = 70000: must be an integer from 1 to 65535']],
  ['port 0', web({ port: 0 }), ['[test/web] port = 0: must be an integer from 1 to 65535']],
  ['servicePort', web({ servicePort: 65536 }), ['[test/web] servicePort = 65536: must be an integer from 1 to 65535']],
  ['image :latest', web({ image: 'nginx:latest' }), ['[test/web] image = "nginx:latest": must carry a pinned tag or digest; \':latest\' is not reproducible']],
  [
    'image untagged',
    web({ image: 'nginx' }),
    ["[test/web] image = \"nginx\": must carry a pinned tag or digest (e.g. 'mongo:7.0.14'); an untagged image means ':latest'"],
  ],
  [
    'image uppercase',
    web({ image: 'Nginx:1' }),
    ["[test/web] image = \"Nginx:1\": must be an image reference such as 'mongo:7.0.14' or 'registry.example.com/team/web:1.2.3'"],
  ],
  ['replicas fraction', web({ replicas: 1.5 }), ['[test/web] replicas = 1.5: must be an integer from 0 to 100']],
  ['drainSeconds', web({ drainSeconds: 301 }), ['[test/web] drainSeconds = 301: must be an integer from 0 to 300']],
  ['replicas negative', web({ replicas: -1 }), ['[test/web] replicas = -1: must be an integer from 0 to 100']],
  [
    'construct id gives a bad name',
    (c) => new WebApp(c, 'My_Web', ok),
    [`[test/My_Web] derived name "test-my_web" (chart id + construct ids) ${DNS1035}; rename the construct or set the \`name\` prop`],
  ],
  ['explicit bad name', web({ name: '9web' }), [`[test/web] name = "9web": ${DNS1035}`]],
  [
    'name too long for a StatefulSet',
    (c) => new MongoDatabase(c, 'db', { name: 'a'.repeat(53) }),
    [`[test/db] name = "${'a'.repeat(53)}": must be at most 52 characters`],
  ],
  ['service type', web({ serviceType: 'External' as any }), ['[test/web] serviceType = "External": must be one of ClusterIP, NodePort, LoadBalancer']],
  [
    'nodePort range',
    web({ serviceType: 'NodePort', nodePort: 80 }),
    ['[test/web] nodePort = 80: must be an integer from 30000 to 32767 (the default NodePort range)'],
  ],
  ['nodePort on ClusterIP', web({ nodePort: 30080 }), ['[test/web] nodePort = 30080: needs serviceType NodePort or LoadBalancer']],
  [
    'ingress host with scheme',
    web({ ingress: { host: 'https://My-App.com' } }),
    [
      "[test/web] ingress.host = \"https://My-App.com\": must be a host name such as 'my-app.com' or '*.example.org' (lowercase, no scheme, no port, no path, not an IP address)",
    ],
  ],
  [
    'ingress host IP',
    web({ ingress: { host: '10.0.0.1' } }),
    [
      "[test/web] ingress.host = \"10.0.0.1\": must be a host name such as 'my-app.com' or '*.example.org' (lowercase, no scheme, no port, no path, not an IP address)",
    ],
  ],
  ['ingress path', web({ ingress: { host: 'a.com', path: 'api' } }), [`[test/web] ingress.path = "api": ${HTTP_PATH}`]],
  [
    'ingress TLS secret name',
    web({ ingress: { host: 'a.com', tlsSecretName: 'TLS' } }),
    [
      "[test/web] ingress.tlsSecretName = \"TLS\": must be a DNS-1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit",
    ],
  ],
  ['probe path', web({ readiness: { http: 'readyz' } }), [`[test/web] readiness.http = "readyz": ${HTTP_PATH}`]],
  [
    'probe kind ambiguous',
    web({ readiness: { http: '/r', tcp: true } }),
    ['[test/web] readiness = {"http":"/r","tcp":true}: set exactly one of `http: \'/path\'` or `tcp: true`'],
  ],
  ['probe timing', web({ liveness: { tcp: true, periodSeconds: 0 } }), ['[test/web] liveness.periodSeconds = 0: must be an integer from 1 to 3600']],
  [
    'cpu quantity',
    web({ resources: { cpuRequest: 'lots' } }),
    ["[test/web] resources.cpuRequest = \"lots\": must be a CPU quantity such as '250m', '0.5' or '2'"],
  ],
  [
    'memory in millibytes',
    web({ resources: { memoryLimit: '500m' } }),
    [
      "[test/web] resources.memoryLimit = \"500m\": must be a byte quantity such as '512Mi' or '1Gi' ('500m' means thousandths of a byte; did you mean '500Mi'?)",
    ],
  ],
  ['request above limit', web({ resources: { memoryRequest: '1Gi' } }), ['[test/web] resources.memoryRequest = "1Gi": must not exceed memoryLimit "256Mi"']],
  [
    'cpu request above limit',
    web({ resources: { cpuRequest: '2', cpuLimit: '1500m' } }),
    ['[test/web] resources.cpuRequest = "2": must not exceed cpuLimit "1500m"'],
  ],
  ['pull policy', web({ imagePullPolicy: 'Sometimes' as any }), ['[test/web] imagePullPolicy = "Sometimes": must be one of IfNotPresent, Always, Never']],
  [
    'env name',
    web({ env: { '1BAD': 'x' } }),
    ["[test/web] env key = \"1BAD\": must start with a letter, '_', '-' or '.' and contain only letters, digits, '_', '-' and '.'"],
  ],
  ['env value not a string', web({ env: { N: 3 as any } }), ['[test/web] env.N = 3: must be a string (quote numbers and booleans)']],
  ['config key', web({ config: { 'a b': 'x' } }), ["[test/web] config key = \"a b\": must be 1-253 characters of letters, digits, '-', '_' and '.'"]],
  [
    'config shadows MONGO_URL',
    (c) => new WebApp(c, 'web', { ...ok, database: new MongoDatabase(c, 'db'), config: { MONGO_URL: 'x' } }),
    ['[test/web] config.MONGO_URL: set by `database`; remove it from config or rename it with databaseEnv.url'],
  ],
  ['env shadows config', web({ config: { A: '1' }, env: { A: '2' } }), ['[test/web] env.A: also a config key; env would silently win over the ConfigMap']],
  [
    'env clashes with database wiring',
    (c) => new WebApp(c, 'web', { ...ok, database: new MongoDatabase(c, 'db'), env: { MONGO_PASSWORD: 'x' } }),
    ['[test/web] env.MONGO_PASSWORD: defined twice (env and database wiring); rename one with databaseEnv'],
  ],
  [
    'storage size',
    (c) => new MongoDatabase(c, 'db', { storage: '1GB' }),
    ["[test/db] storage.size = \"1GB\": must be a byte quantity such as '512Mi', '1Gi' or '1G'"],
  ],
  [
    'storage class',
    (c) => new MongoDatabase(c, 'db', { storage: { storageClassName: 'Fast_SSD' } }),
    [
      "[test/db] storage.storageClassName = \"Fast_SSD\": must be a DNS-1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit",
    ],
  ],
  [
    'ephemeral with size',
    (c) => new MongoDatabase(c, 'db', { storage: { ephemeral: true, size: '1Gi' } }),
    ['[test/db] storage = {"ephemeral":true,"size":"1Gi"}: ephemeral storage takes no size or storageClassName'],
  ],
  [
    'database name',
    (c) => new MongoDatabase(c, 'db', { databaseName: 'my.db' }),
    ["[test/db] databaseName = \"my.db\": must be 1-63 bytes without '/', '\\', '.', ' ', '\"', '$', '*', '<', '>', ':', '|' or '?'"],
  ],
  ['engine', (c) => new MongoDatabase(c, 'db', { engine: 'postgres' as any }), ['[test/db] engine = "postgres": must be one of mongodb, ferretdb']],
  [
    'db image',
    (c) => new MongoDatabase(c, 'db', { image: 'mongo' }),
    ["[test/db] image = \"mongo\": must carry a pinned tag or digest (e.g. 'mongo:7.0.14'); an untagged image means ':latest'"],
  ],
  [
    'existingSecret without auth',
    (c) => new MongoDatabase(c, 'db', { auth: false, existingSecret: 's' }),
    ['[test/db] existingSecret: given, but auth is off; credentials would be unused'],
  ],
  ['username', (c) => new MongoDatabase(c, 'db', { username: 'a b' }), ["[test/db] username = \"a b\": must be 1-64 letters, digits, '.', '_' or '-'"]],
  [
    'external host and url',
    (c) => new ExternalMongoDatabase(c, 'ext', { host: 'a.com', url: 'mongodb://a.com' }),
    ['[test/ext] host = "a.com", url = "mongodb://a.com": set exactly one of `host` (an ExternalName Service is created) or `url`'],
  ],
  [
    'external url with credentials',
    (c) => new ExternalMongoDatabase(c, 'ext', { url: 'mongodb://u:p@a.com/db' }),
    ['[test/ext] url = "mongodb://u:***@a.com/db": must not contain credentials (user:password@); put them in an existing Secret and set `credentialsSecret`'],
  ],
  [
    'external url scheme',
    (c) => new ExternalMongoDatabase(c, 'ext', { url: 'http://a.com' }),
    ["[test/ext] url = \"http://a.com\": must be a URL such as 'mongodb://db.example.com:27017/app' or 'mongodb+srv://cluster0.example.net/app'"],
  ],
  [
    'external host',
    (c) => new ExternalMongoDatabase(c, 'ext', { host: 'Mongo Host' }),
    [
      "[test/ext] host = \"Mongo Host\": must be a DNS-1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit",
    ],
  ],
];

describe('bad props: every problem reported once, with construct path, value and what is allowed', () => {
  test.each(cases)('%s', (_name, fn, expected) => {
    expect(build(fn).problems).toEqual(expected);
  });
});

test('all problems of an app are reported together', () => {
  const b = build((c) => {
    new WebApp(c, 'web', { ...ok, port: 0, replicas: -1 });
    new MongoDatabase(c, 'db', { storage: 'big' });
  });
  expect(b.problems).toEqual([
    '[test/web] port = 0: must be an integer from 1 to 65535',
    '[test/web] replicas = -1: must be an integer from 0 to 100',
    "[test/db] storage.size = \"big\": must be a byte quantity such as '512Mi', '1Gi' or '1G'",
  ]);
});

test('app name must be a short DNS label', () => {
  expect(build(() => undefined, {}, 'My App').problems).toEqual([
    '[My App] app name "My App" must be a DNS-1123 label: at most 40 characters, lowercase letters, digits and \'-\', starting and ending with a letter or digit',
  ]);
});

test('berth constructs need a BerthChart', () => {
  const chart = new Chart(new App(), 'plain');
  expect(() => new WebApp(chart, 'web', ok)).toThrow('plain/web: berth constructs must be created inside a BerthChart (got Chart plain)');
});

describe('whole-app checks on the synthesized objects', () => {
  test('duplicate names of one kind', () => {
    const b = build((c) => {
      new WebApp(c, 'web', { ...ok, name: 'same', replicas: 1 });
      new WebApp(c, 'web2', { ...ok, name: 'same', replicas: 1 });
    });
    expect(b.problems).toEqual([
      '[test] ConfigMap "same-config" is defined 2 times (test/web/config, test/web2/config); object names must be unique per kind in an app: rename one construct or set its `name` prop',
      '[test] Deployment "same" is defined 2 times (test/web/deployment, test/web2/deployment); object names must be unique per kind in an app: rename one construct or set its `name` prop',
      '[test] Service "same" is defined 2 times (test/web/service, test/web2/service); object names must be unique per kind in an app: rename one construct or set its `name` prop',
    ]);
  });

  test('Service targetPort must match a container port of the selected pods', () => {
    const b = build((c) => {
      new WebApp(c, 'web', { ...ok, replicas: 1 });
      new k8s.KubeService(c, 'svc', {
        metadata: { name: 'other' },
        spec: { selector: { 'app.kubernetes.io/instance': 'test-web' }, ports: [{ port: 80, targetPort: k8s.IntOrString.fromNumber(9090) }] },
      });
    });
    expect(b.problems).toEqual([
      '[test] Service "other" (test/svc): port 80 targetPort = 9090 matches no container port of the selected pods (they open: 80/http)',
    ]);
  });

  test('Service that selects nothing', () => {
    const b = build((c) => new k8s.KubeService(c, 'svc', { metadata: { name: 'lonely' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } }));
    expect(b.problems).toEqual(['[test] Service "lonely" (test/svc): spec.selector {"app":"none"} selects no pods of this app']);
  });

  const rawDeployment = (c: BerthChart, extra: Partial<k8s.Container>, labels = { a: 'b' }) =>
    new k8s.KubeDeployment(c, 'd', {
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x:1', ...extra }] } } },
    });

  test('selector must match the pod template labels', () => {
    expect(build((c) => rawDeployment(c, {}, { a: 'c' })).problems).toEqual([
      '[test] Deployment "d" (test/d): spec.selector.matchLabels {"a":"b"} do not match the pod template labels {"a":"c"}',
    ]);
  });

  test('ConfigMap and Secret references must exist in the app or be declared external', () => {
    const refs = { envFrom: [{ secretRef: { name: 'api-keys' } }, { configMapRef: { name: 'shared' } }] };
    expect(build((c) => rawDeployment(c, refs)).problems).toEqual([
      '[test] Deployment "d" (test/d): container c envFrom references Secret "api-keys", which is neither in this app nor declared external (BerthChart externalSecrets/externalConfigMaps or the construct\'s existingSecret)',
      '[test] Deployment "d" (test/d): container c envFrom references ConfigMap "shared", which is neither in this app nor declared external (BerthChart externalSecrets/externalConfigMaps or the construct\'s existingSecret)',
    ]);
    expect(build((c) => rawDeployment(c, refs), { externalSecrets: ['api-keys'], externalConfigMaps: ['shared'] }).problems).toEqual([]);
  });

  test('a key read from an in-app Secret or ConfigMap must exist (generated keys count)', () => {
    const env = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: 'test-db-credentials', key } } });
    const ok = build((c) => {
      new MongoDatabase(c, 'db');
      rawDeployment(c, { env: [env('U', 'username'), env('P', 'password')] });
    });
    expect(ok.problems).toEqual([]);
    const bad = build((c) => {
      new MongoDatabase(c, 'db');
      rawDeployment(c, { env: [env('X', 'passwd')] });
    });
    expect(bad.problems).toEqual([
      '[test] Deployment "d" (test/d): container c env X reads key "passwd" of Secret "test-db-credentials", which has only "username", "password"',
    ]);
  });

  test('two Ingresses for the same host and path', () => {
    const b = build((c) => {
      new WebApp(c, 'web', { ...ok, replicas: 1, ingress: { host: 'my-app.com' } });
      new WebApp(c, 'api', { ...ok, replicas: 1, ingress: { host: 'my-app.com' } });
    });
    expect(b.problems).toEqual([
      '[test] Ingress "test-api" (test/api/ingress): routes my-app.com/, which Ingress "test-web" (test/web/ingress) already routes; use another host or path',
    ]);
  });

  test('Kubernetes schema: types and quantities of raw objects', () => {
    const b = build((c) => rawDeployment(c, { resources: { requests: { cpu: k8s.Quantity.fromString('many') } }, imagePullPolicy: 'Sometimes' }));
    expect(b.problems).toEqual([
      '[test] Deployment "d" (test/d): schema: spec.template.spec.containers.0.imagePullPolicy must be equal to one of the allowed values (["Always","IfNotPresent","Never"])',
      '[test] Deployment "d" (test/d): schema: spec.template.spec.containers.0.resources.requests.cpu must match format "quantity"',
    ]);
  });

  test('a Secret with stringData (plaintext in dist/) is refused', () => {
    const b = build((c) => new k8s.KubeSecret(c, 's', { metadata: { name: 's' }, stringData: { password: 'hunter2' } }));
    expect(b.problems).toEqual([
      '[test] Secret "s" (test/s): stringData would put plaintext values into dist/; let deploy generate them (annotation berth.dev/generate-keys) or reference an existing Secret',
    ]);
  });

  test('kinds without an offline schema are reported', () => {
    const b = build((c) => new k8s.KubeConfigMap(c, 'x', { metadata: { name: 'x' } }).addJsonPatch());
    expect(b.problems).toEqual([]);
    const custom = build((c) => new ApiObject(c, 'cr', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }));
    expect(custom.problems).toEqual([
      '[test] Widget "w" (test/cr): no offline schema for apiVersion "example.com/v1" kind "Widget"; berth can only validate built-in Kubernetes kinds',
    ]);
  });
});
