import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { MongoDatabase, WebApp } from '../../../constructs';
import type { ImageSet } from '../../../src/synth/images';
import { parseManifest, readDist } from '../../../src/dist';
import { buildDiagram, Diagram, DiagramNode, toDot, toMermaid } from '../../../src/diagram';
import { loadApp, renderApp } from '../../../src/synth';
import { build } from '../helpers';

/** Synthesize an example app in-process exactly as `berth synth` does, then draw it. */
function diagramOf(app: string, images: ImageSet = 'upstream'): { diagram: Diagram; yaml: string } {
  const mod = loadApp(app);
  const [r] = renderApp(app, { build: (a: App) => (mod.build as (a: App, i: ImageSet) => ReturnType<typeof mod.build>)(a, images) });
  return { diagram: buildDiagram(app, parseManifest(r.yaml, r.fileName, app)), yaml: r.yaml };
}

const node = (d: Diagram, id: string): DiagramNode => {
  const n = d.nodes.find((x) => x.id === id) ?? d.podGroups.flatMap((g) => g.pods).find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}; have ${d.nodes.map((x) => x.id).join(', ')}`);
  return n;
};
const edges = (d: Diagram) => d.edges.map((e) => `${e.from} -${e.label}${e.detail ? `(${e.detail})` : ''}-> ${e.to}`);
const allText = (d: Diagram) => JSON.stringify(d);

describe.each<ImageSet>(['upstream', 'local'])('example apps (%s images)', (images) => {
  test('demo: user → Ingress → Service → pods → ConfigMap/Secret → database Service → StatefulSet pod → PVC', () => {
    const { diagram: d } = diagramOf('demo', images);
    const port = images === 'local' ? 8080 : 8081;
    expect(node(d, 'user')).toMatchObject({ kind: 'user', outside: true });
    expect(node(d, 'ingress:demo-web').details).toEqual(['my-app.com/']);
    expect(node(d, 'service:demo-web').details).toEqual([`ClusterIP :${port}`]);
    expect(node(d, 'deployment:demo-web').details).toEqual(['replicas: 2']);
    expect(d.podGroups.find((g) => g.id === 'pods:demo-web')!.pods.map((p) => p.title)).toEqual(['Pod 1 of 2', 'Pod 2 of 2']);
    expect(node(d, 'configmap:demo-web-config').details[0]).toBe('MONGO_URL = mongodb://demo-db:27017/demo?authSource=admin');
    expect(node(d, 'secret:demo-db-credentials').details).toEqual(['keys: username', 'generated at deploy: password']);
    expect(node(d, 'service:demo-db').details).toEqual(['ClusterIP :27017 → mongodb']);
    expect(node(d, 'service:demo-db-headless').details).toEqual(['headless :27017 → mongodb']);
    expect(node(d, 'statefulset:demo-db').details).toEqual(['replicas: 1', `engine: ${images === 'local' ? 'ferretdb' : 'mongodb'}`]);
    expect(node(d, 'pod:demo-db:0').title).toBe('Pod demo-db-0');
    expect(node(d, 'pvc:data-demo-db-0').details).toEqual(['1Gi, default class']);
    expect(edges(d)).toEqual(
      expect.arrayContaining([
        'user -request(http://my-app.com/)-> ingress:demo-web',
        `ingress:demo-web -backend(port ${port})-> service:demo-web`,
        'service:demo-web -selector-> pods:demo-web',
        'deployment:demo-web -manages-> pods:demo-web',
        'pods:demo-web -envFrom-> configmap:demo-web-config',
        'pods:demo-web -secretKeyRef(username, password)-> secret:demo-db-credentials',
        'configmap:demo-web-config -url(MONGO_URL)-> service:demo-db',
        'service:demo-db -selector-> pods:demo-db',
        'service:demo-db-headless -selector-> pods:demo-db',
        'statefulset:demo-db -manages-> pods:demo-db',
        'pods:demo-db -secretKeyRef(username, password)-> secret:demo-db-credentials',
        'pod:demo-db:0 -volume(data)-> pvc:data-demo-db-0',
      ]),
    );
    // The web Service must not select the database pods and the other way round.
    expect(edges(d)).not.toContain('service:demo-web -selector-> pods:demo-db');
    expect(edges(d)).not.toContain('service:demo-db -selector-> pods:demo-web');
  });

  test('external-db: the ExternalMongoDatabase is a box outside the cluster behind an ExternalName Service', () => {
    const { diagram: d } = diagramOf('external-db', images);
    const host = images === 'local' ? 'demo-db.default.svc.cluster.local' : 'mongo.example.com';
    expect(node(d, `external:${host}`)).toMatchObject({
      kind: 'external-db',
      title: 'ExternalMongoDatabase',
      outside: true,
      details: [`${host}:27017`, 'outside the cluster'],
    });
    expect(node(d, 'service:external-db-mongo').details).toEqual(['ExternalName :27017']);
    expect(edges(d)).toEqual(
      expect.arrayContaining([
        `service:external-db-mongo -externalName-> external:${host}`,
        'configmap:external-db-web-config -url(MONGO_URL)-> service:external-db-mongo',
        'user -request(http://orders.my-app.com/)-> ingress:external-db-web',
      ]),
    );
    expect(d.nodes.filter((n) => n.kind === 'statefulset' || n.kind === 'pvc')).toEqual([]);
    const secrets = d.nodes.filter((n) => n.kind === 'secret');
    if (images === 'upstream') {
      // Created outside berth: only the names the pods reference are known.
      expect(secrets).toEqual([
        expect.objectContaining({ id: 'secret:orders-mongo-credentials', details: ['keys: username, password', 'made outside berth (not in dist/)'] }),
      ]);
    } else {
      // The local example reaches the demo's FerretDB without credentials.
      expect(secrets).toEqual([]);
    }
  });

  test('ephemeral-db: the database volume is an emptyDir, with no PVC', () => {
    const { diagram: d } = diagramOf('ephemeral-db', images);
    expect(node(d, 'volume:ephemeral-db-db:data')).toMatchObject({ kind: 'volume', title: 'emptyDir data', details: ['lost when the pod is re-created'] });
    expect(edges(d)).toContain('pods:ephemeral-db-db -volume(data)-> volume:ephemeral-db-db:data');
    expect(d.nodes.filter((n) => n.kind === 'pvc')).toEqual([]);
    expect(node(d, 'deployment:ephemeral-db-web').details).toEqual(['replicas: 1']);
  });
});

test('Secret values never reach the picture: only key names', () => {
  const { diagram: d, yaml } = diagramOf('demo');
  const values = [...yaml.matchAll(/^ {2}username: (\S+)$/gm)].map((m) => m[1]);
  expect(values.length).toBeGreaterThan(0);
  for (const v of values) {
    expect(allText(d)).not.toContain(v);
    expect(allText(d)).not.toContain(Buffer.from(v, 'base64').toString());
  }
});

test('reads dist/ through the project reader: a file written by synth gives the same picture', () => {
  const { diagram, yaml } = diagramOf('demo');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-diagram-'));
  fs.writeFileSync(path.join(dir, 'demo.k8s.yaml'), yaml);
  const [dist] = readDist(dir, 'demo');
  expect(buildDiagram(dist.app, dist.objects)).toEqual(diagram);
});

test('PVC shows the storage class from volumeClaimTemplates; several replicas get one PVC each', () => {
  const { docs } = build((chart) => {
    const db = new MongoDatabase(chart, 'db', { storage: { size: '5Gi', storageClassName: 'fast-ssd' } });
    new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80, database: db });
  });
  const d = buildDiagram('test', docs);
  expect(node(d, 'pvc:data-test-db-0').details).toEqual(['5Gi, class fast-ssd']);
  const sts = docs.find((o) => o.kind === 'StatefulSet');
  const three = buildDiagram(
    'test',
    docs.map((o) => (o === sts ? { ...sts, spec: { ...sts.spec, replicas: 3 } } : o)),
  );
  expect(three.nodes.filter((n) => n.kind === 'pvc').map((n) => n.id)).toEqual(['pvc:data-test-db-0', 'pvc:data-test-db-1', 'pvc:data-test-db-2']);
  expect(edges(three)).toContain('pod:test-db:2 -volume(data)-> pvc:data-test-db-2');
  // No Ingress, no NodePort: nobody outside to draw.
  expect(d.nodes.find((n) => n.kind === 'user')).toBeUndefined();
});

test('NodePort and LoadBalancer Services are reached by the user directly', () => {
  const { docs } = build((chart) => {
    new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80 });
  });
  const svc = docs.find((o) => o.kind === 'Service');
  const nodePort = { ...svc, spec: { ...svc.spec, type: 'NodePort', ports: [{ ...svc.spec.ports[0], nodePort: 30080 }] } };
  const d = buildDiagram(
    'test',
    docs.map((o) => (o === svc ? nodePort : o)),
  );
  expect(edges(d)).toContain('user -request(NodePort 30080)-> service:test-web');
  expect(node(d, 'service:test-web').details[0]).toMatch(/^NodePort :80 .*\(node 30080\)$/);
  const lb = buildDiagram(
    'test',
    docs.map((o) => (o === svc ? { ...svc, spec: { ...svc.spec, type: 'LoadBalancer' } } : o)),
  );
  expect(edges(lb)).toContain('user -request(LoadBalancer :80)-> service:test-web');
});

describe('renderers', () => {
  const { diagram: d } = diagramOf('demo');
  test('DOT names every node, pod group and edge, with cluster-relative edges for pod groups', () => {
    const dot = toDot(d);
    for (const n of d.nodes) expect(dot).toContain(`"${n.id}" [id="${n.id}"`);
    for (const g of d.podGroups) expect(dot).toContain(`subgraph "cluster_${g.id}"`);
    expect(dot).toContain('lhead="cluster_pods:demo-web"');
    expect(dot).toContain('label="secretKeyRef\\nusername, password"');
    expect(toDot(d)).toBe(dot);
  });
  test('Mermaid has every box and edge label', () => {
    const m = toMermaid(d);
    expect(m.startsWith('%% berth app demo\nflowchart TB\n')).toBe(true);
    for (const n of d.nodes) expect(m).toContain(n.title);
    expect(m.match(/-->/g)).toHaveLength(d.edges.length);
    expect(m).toContain('|"secretKeyRef<br/>username, password"|');
  });
});
