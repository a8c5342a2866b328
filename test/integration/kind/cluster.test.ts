/**
 * The kind cluster `npm run kind:up` created with `berth cluster create --kind` (offline node image,
 * Traefik from the local image as the ingress controller): what berth promised is there, on a real
 * cluster. CI runs this after kind:up with BERTH_KIND_REQUIRED=1, so it cannot skip there.
 */
import * as http from 'node:http';
import { berth } from '../verify/cli';
import { BUSYBOX, CONTEXT, describeOnKind, ENV, HTTP_PORT, HTTPS_PORT, NAME, NODE_IMAGE, run } from './env';

jest.setTimeout(300_000);

const node = `${NAME}-control-plane`;
const kubectl = (...args: string[]) => run('kubectl', ['--context', CONTEXT, ...args]);

function get(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host }, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describeOnKind()('kind cluster made by berth cluster create --kind', () => {
  it('runs the offline node image, labelled ingress-ready, with the ingress ports on the chosen host ports', () => {
    expect(run('kind', ['get', 'clusters']).out.split('\n')).toContain(NAME);
    expect(run('docker', ['inspect', '-f', '{{.Config.Image}}', node]).out.trim()).toBe(NODE_IMAGE);
    const nodes = kubectl('get', 'nodes', '-l', 'ingress-ready=true', '-o', 'name');
    expect(nodes).toEqual({ code: 0, out: `node/${node}\n` });
    const ports = run('docker', ['port', node]).out;
    expect(ports).toContain(`80/tcp -> 127.0.0.1:${HTTP_PORT}`);
    expect(ports).toContain(`443/tcp -> 127.0.0.1:${HTTPS_PORT}`);
  });

  it('has an ingress controller answering on the host port, as the default IngressClass', async () => {
    const cls = kubectl('get', 'ingressclass', 'traefik', '-o', 'jsonpath={.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}');
    expect(cls).toEqual({ code: 0, out: 'true' });
    const dep = kubectl('-n', 'berth-ingress', 'get', 'deployment', 'traefik', '-o', 'jsonpath={.status.readyReplicas}');
    expect(dep).toEqual({ code: 0, out: '1' });
    // No Ingress for this host: Traefik itself answers with its "no route" 404 through the published port.
    const r = await get(HTTP_PORT, 'no-such-host.berth.test');
    expect(r.status).toBe(404);
    expect(r.body.trim()).toBe('404 page not found');
  });

  it('berth cluster load-image copies a local image into the node', () => {
    const image = BUSYBOX.ref;
    // In the Docker engine first, as a user's own build would be.
    if (run('docker', ['image', 'inspect', image]).code !== 0) expect(run('docker', ['load', '-i', BUSYBOX.tarball]).code).toBe(0);
    const onNode = () => run('docker', ['exec', node, 'crictl', 'images', '-o', 'json']).out.includes(`"${image}"`);
    // Start from a node without it (busybox is only local-path's helper image: nothing runs it now).
    run('docker', ['exec', node, 'crictl', 'rmi', image]);
    expect(onNode()).toBe(false);
    const r = berth(['cluster', 'load-image', image, '--kind', '--name', NAME], { KUBECONFIG: ENV.KUBECONFIG, PATH: ENV.PATH });
    expect(r.stderr).not.toMatch(/berth:/);
    expect(r.code).toBe(0);
    expect(onNode()).toBe(true);
  });
});
