import { parse } from 'yaml';
import { kindAvailable, kindConfig, kindConfigYaml, kindContextName, kindCreateArgs, kindLoadArgs } from '../../../src/cluster/kind';
import { minikubeLoadArgs, minikubeStartArgs } from '../../../src/cluster/minikube';

describe('kind cluster config', () => {
  it('maps ingress ports 80/443 to the host and labels the node ingress-ready', () => {
    const cfg = parse(kindConfigYaml({ name: 'shop' }));
    expect(cfg).toEqual({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: 'shop',
      nodes: [
        {
          role: 'control-plane',
          labels: { 'ingress-ready': 'true' },
          extraPortMappings: [
            { containerPort: 80, hostPort: 80, listenAddress: '127.0.0.1', protocol: 'TCP' },
            { containerPort: 443, hostPort: 443, listenAddress: '127.0.0.1', protocol: 'TCP' },
          ],
        },
      ],
    });
  });

  it('supports other host ports, workers and a node image', () => {
    const cfg = kindConfig({ httpPort: 8080, httpsPort: 8443, workers: 2, nodeImage: 'kindest/node:v1.33.1' }) as any;
    expect(cfg.nodes.map((n: any) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(cfg.nodes[0].extraPortMappings.map((m: any) => m.hostPort)).toEqual([8080, 8443]);
    expect(cfg.nodes.every((n: any) => n.image === 'kindest/node:v1.33.1')).toBe(true);
  });

  it('rejects bad values with the value in the message', () => {
    expect(() => kindConfig({ httpPort: 70000 })).toThrow('httpPort must be a port number 1-65535, got 70000');
    expect(() => kindConfig({ httpPort: 80, httpsPort: 80 })).toThrow(/must differ/);
    expect(() => kindConfig({ name: 'My_Cluster' })).toThrow('kind cluster name "My_Cluster" is invalid');
    expect(() => kindConfig({ workers: -1 })).toThrow(/workers/);
  });

  it('builds the kind command lines', () => {
    expect(kindCreateArgs('berth', '/tmp/k.yaml')).toEqual(['create', 'cluster', '--name', 'berth', '--config', '/tmp/k.yaml', '--wait', '120s']);
    expect(kindLoadArgs('berth.local/demo-web:0.1.0', 'berth')).toEqual(['load', 'docker-image', 'berth.local/demo-web:0.1.0', '--name', 'berth']);
    expect(kindContextName('berth')).toBe('kind-berth');
    expect(() => kindLoadArgs('')).toThrow(/invalid/);
  });

  it('reports why kind cannot run here (or that it can)', () => {
    const c = kindAvailable();
    if (!c.ok) expect(c.reason).toMatch(/kind|docker|Docker/);
    else expect(c.reason).toBeUndefined();
  });
});

describe('minikube', () => {
  it('starts a profile with the ingress addon', () => {
    expect(minikubeStartArgs({ profile: 'p', kubernetesVersion: 'v1.33.1', nodes: 2 })).toEqual([
      'start',
      '-p',
      'p',
      '--addons=ingress',
      '--kubernetes-version=v1.33.1',
      '--nodes=2',
    ]);
    expect(() => minikubeStartArgs({ nodes: 0 })).toThrow(/nodes must be >= 1/);
  });
  it('loads images with minikube image load', () => {
    expect(minikubeLoadArgs('berth.local/demo-web:0.1.0', 'p')).toEqual(['image', 'load', 'berth.local/demo-web:0.1.0', '-p', 'p']);
  });
});
