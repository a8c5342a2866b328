import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { kindConfig } from '../../../src/cluster/kind';
import { planIngress } from '../../../src/cluster/ingress-install';
import { INGRESS_NGINX_KIND_MANIFEST, kindIngressFrom, manifestObjects, traefikObjects } from '../../../src/cluster/kind-ingress';

describe('kind ingress controller choice', () => {
  it('defaults to the pinned ingress-nginx manifest for kind', () => {
    expect(kindIngressFrom('nginx')).toEqual({ controller: 'nginx', manifestUrl: INGRESS_NGINX_KIND_MANIFEST });
    expect(INGRESS_NGINX_KIND_MANIFEST).toMatch(/\/controller-v\d+\.\d+\.\d+\/deploy\/static\/provider\/kind\/deploy\.yaml$/);
  });

  it('takes Traefik from an image the user has (offline) and nothing for none', () => {
    expect(kindIngressFrom('traefik', 'berth.local/traefik:3.6.12')).toEqual({ controller: 'traefik', image: 'berth.local/traefik:3.6.12' });
    expect(kindIngressFrom('none')).toEqual({ controller: 'none' });
  });

  it('says what is wrong with a choice and how to fix it', () => {
    expect(() => kindIngressFrom('traefik')).toThrow('--ingress traefik needs --ingress-image <image>');
    expect(() => kindIngressFrom('haproxy')).toThrow('--ingress must be one of nginx, traefik, none, got "haproxy"');
    expect(() => kindIngressFrom('nginx', 'x/y:1')).toThrow(/--ingress-image is for --ingress traefik.*"x\/y:1"/);
    expect(() => kindIngressFrom('none', 'x/y:1')).toThrow(/--ingress none/);
  });
});

describe('Traefik objects for kind', () => {
  const objs = traefikObjects('berth.local/traefik:3.6.12');
  const dep = objs.find((o) => o.kind === 'Deployment')!;
  const pod = dep.spec.template.spec;

  it('run on the ingress-ready node network with ports 80/443 and never pull', () => {
    expect(pod.nodeSelector).toEqual({ 'ingress-ready': 'true' });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.containers[0].image).toBe('berth.local/traefik:3.6.12');
    expect(pod.containers[0].imagePullPolicy).toBe('Never');
    expect(pod.containers[0].args).toEqual(expect.arrayContaining(['--entrypoints.web.address=:80', '--entrypoints.websecure.address=:443']));
  });

  it('make Traefik the default IngressClass and label every object for the readiness watch', () => {
    const cls = objs.find((o) => o.kind === 'IngressClass')!;
    expect(cls.metadata.annotations).toEqual({ 'ingressclass.kubernetes.io/is-default-class': 'true' });
    expect(objs.every((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'berth-traefik')).toBe(true);
    expect(dep.spec.selector.matchLabels['app.kubernetes.io/name']).toBe('berth-traefik');
  });
});

describe('downloaded manifests', () => {
  it('become objects, empty documents dropped', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: ingress-nginx}\n---\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: ingress-nginx}\n';
    expect(manifestObjects(text, 'u').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/ingress-nginx', 'ServiceAccount/a']);
  });
  it('that are not Kubernetes objects are refused with the source named', () => {
    expect(() => manifestObjects('<html>rate limited</html>\n', 'https://x/deploy.yaml')).toThrow(
      /https:\/\/x\/deploy.yaml: document 1 is not a Kubernetes object/,
    );
    expect(() => manifestObjects('', 'https://x/deploy.yaml')).toThrow('https://x/deploy.yaml: no Kubernetes objects in it');
  });
});

const patch = 'kind: ClusterConfiguration\ndns:\n  imageRepository: berth.local\n  imageTag: "1.14.1"\n';

describe('kind config with kubeadm patches', () => {
  it('carries the patches verbatim', () => {
    expect((kindConfig({ kubeadmConfigPatches: [patch] }) as any).kubeadmConfigPatches).toEqual([patch]);
    expect(kindConfig({})).not.toHaveProperty('kubeadmConfigPatches');
  });
  it('refuses a patch that names no kubeadm kind', () => {
    expect(() => kindConfig({ kubeadmConfigPatches: ['dns: {}'] })).toThrow('kubeadm config patch 1 has no "kind:" line');
  });
});

describe('berth cluster create --kind --dry-run', () => {
  // The CLI as a user runs it (bin/berth.js).
  const main = path.resolve(__dirname, '../../../bin/berth.js');
  const run = (args: string[]) => spawnSync(process.execPath, [main, 'cluster', 'create', '--kind', '--dry-run', ...args], { encoding: 'utf8' });
  it('prints the config with host ports, patch and the ingress steps', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kind-unit-'));
    fs.writeFileSync(path.join(dir, 'p.yaml'), patch);
    const r = run([
      '--name',
      'k',
      '--http-port',
      '18080',
      '--https-port',
      '18443',
      '--kubeadm-patch',
      path.join(dir, 'p.yaml'),
      '--ingress',
      'traefik',
      '--ingress-image',
      'berth.local/traefik:3.6.12',
      '--config-out',
      path.join(dir, 'k.yaml'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const yaml = r.stdout.split('\n# then:')[0].split('\n').slice(1).join('\n');
    const cfg = parse(yaml);
    expect(cfg.kubeadmConfigPatches).toEqual([patch]);
    expect(cfg.nodes[0].extraPortMappings.map((m: any) => m.hostPort)).toEqual([18080, 18443]);
    expect(r.stdout).toContain('# then: kind load docker-image berth.local/traefik:3.6.12 --name k');
    expect(r.stdout).toContain('# then: ingress controller Traefik (berth.local/traefik:3.6.12, loaded into kind)');
  });
  it('rejects --ingress traefik without an image, before running anything', () => {
    const r = run(['--ingress', 'traefik']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'berth cluster: --ingress traefik needs --ingress-image <image>: a Traefik v3 image in your Docker engine (berth loads it into kind)\n',
    );
  });
});

describe('planIngress (before any cluster exists)', () => {
  const manifest = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ingress-nginx}\n';
  it('downloads and parses the nginx manifest, builds Traefik objects, and has nothing for none', async () => {
    const urls: string[] = [];
    const plan = await planIngress(kindIngressFrom('nginx'), async (u) => (urls.push(u), manifest));
    expect(urls).toEqual([INGRESS_NGINX_KIND_MANIFEST]);
    expect(plan).toEqual({ controller: 'nginx', objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ingress-nginx' } }] });
    expect((await planIngress(kindIngressFrom('traefik', 't/t:1')))?.objects.map((o) => o.kind)).toContain('Deployment');
    expect(await planIngress(kindIngressFrom('none'))).toBeUndefined();
  });
  it('says what to do when the manifest cannot be downloaded (offline)', async () => {
    const unreachable = { controller: 'nginx' as const, manifestUrl: 'http://127.0.0.1:1/deploy.yaml' };
    await expect(planIngress(unreachable)).rejects.toThrow(
      /could not download the ingress controller manifest http:\/\/127.0.0.1:1\/deploy.yaml: .*Offline\? Use --ingress traefik --ingress-image/,
    );
  });
});
