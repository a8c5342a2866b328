import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeconfigError, kubeconfigFiles, resolveContext } from '../../../src/kube/context';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kubeconfig-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const cfg = (ctx: string, server: string, extra = '') => `apiVersion: v1
kind: Config
current-context: ${ctx}
clusters:
- name: ${ctx}
  cluster:
    server: ${server}
    certificate-authority-data: ${Buffer.from('CA').toString('base64')}
users:
- name: ${ctx}
  user:
    token: tok-${ctx}
${extra}contexts:
- name: ${ctx}
  context:
    cluster: ${ctx}
    user: ${ctx}
    namespace: team
`;

describe('resolveContext', () => {
  const a = write('a.yaml', cfg('alpha', 'https://127.0.0.1:6443/'));
  const b = write('b.yaml', cfg('beta', 'https://10.0.0.1:6443'));

  it('reads server, CA, token and namespace of the current context', () => {
    const c = resolveContext({ kubeconfig: a });
    expect(c).toMatchObject({ contextName: 'alpha', server: 'https://127.0.0.1:6443', token: 'tok-alpha', namespace: 'team', needsClientNodeAuth: false });
    expect(c.ca!.toString()).toBe('CA');
  });

  it('merges KUBECONFIG files and selects --context', () => {
    const env = { KUBECONFIG: [a, b].join(path.delimiter), HOME: dir };
    expect(resolveContext({}, env).contextName).toBe('alpha');
    expect(resolveContext({ context: 'beta' }, env).server).toBe('https://10.0.0.1:6443');
  });

  it('names known contexts when the context is unknown', () => {
    expect(() => resolveContext({ kubeconfig: a, context: 'nope' })).toThrow('unknown context "nope" in kubeconfig');
    expect(() => resolveContext({ kubeconfig: a, context: 'nope' })).toThrow(/known contexts: alpha/);
  });

  it('says what to do when the file is missing', () => {
    expect(() => resolveContext({ kubeconfig: path.join(dir, 'missing.yaml') })).toThrow(KubeconfigError);
    expect(() => resolveContext({ kubeconfig: path.join(dir, 'missing.yaml') })).toThrow(/no such file.*--kubeconfig/);
  });

  it('rejects garbage and a context without a cluster', () => {
    expect(() => resolveContext({ kubeconfig: write('bad.yaml', '- just\n- a list\n') })).toThrow(/is not a kubeconfig/);
    const broken = write('broken.yaml', 'current-context: x\ncontexts:\n- name: x\n  context: {cluster: gone, user: u}\n');
    expect(() => resolveContext({ kubeconfig: broken })).toThrow('context "x" refers to cluster "gone", which is not in the kubeconfig');
  });

  it('marks exec users as needing client-node auth', () => {
    const e = write('exec.yaml', cfg('gke', 'https://1.2.3.4', '').replace('    token: tok-gke\n', '    exec:\n      command: gke-gcloud-auth-plugin\n'));
    expect(resolveContext({ kubeconfig: e }).needsClientNodeAuth).toBe(true);
  });

  it('reads client certificate files relative to the kubeconfig', () => {
    fs.writeFileSync(path.join(dir, 'client.crt'), 'CERT');
    fs.writeFileSync(path.join(dir, 'client.key'), 'KEY');
    const p = write('certs.yaml', cfg('c', 'https://x:6443').replace('    token: tok-c\n', '    client-certificate: client.crt\n    client-key: client.key\n'));
    const c = resolveContext({ kubeconfig: p });
    expect(c.cert!.toString()).toBe('CERT');
    expect(c.key!.toString()).toBe('KEY');
  });

  it('defaults to ~/.kube/config, else the local test cluster', () => {
    expect(kubeconfigFiles({}, { HOME: '/home/u', BERTH_STATE_DIR: '/nonexistent' })).toEqual(['/home/u/.kube/config']);
    fs.writeFileSync(path.join(dir, 'kubeconfig'), cfg('berth-local', 'https://127.0.0.1:6443'));
    expect(kubeconfigFiles({}, { HOME: '/home/u', BERTH_STATE_DIR: dir })).toEqual([path.join(dir, 'kubeconfig')]);
    expect(kubeconfigFiles({ kubeconfig: 'x.yaml' }, { HOME: '/home/u', BERTH_STATE_DIR: dir })).toEqual([path.resolve('x.yaml')]);
  });
});
