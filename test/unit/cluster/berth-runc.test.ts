import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * hack/kind/berth-runc, Docker's runtime for kind nodes on hosts without CAP_SYS_RESOURCE: run against a
 * fake runc with a given bounding set, it must strip exactly the capabilities the set lacks from the
 * OCI bundle (create) or process file (exec) and pass every argument through unchanged.
 */
const script = path.resolve(__dirname, '../../../hack/kind/berth-runc');
const haveJq = spawnSync('jq', ['--version']).status === 0;
const ALL_BUT_SYS_RESOURCE = '000001fffeffffff'; // this CI VM: bit 24 missing

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-runc-'));
  const fake = path.join(dir, 'runc');
  fs.writeFileSync(fake, `#!/bin/sh\necho "$@" > "${dir}/args"\n`, { mode: 0o755 });
  const caps = ['CAP_CHOWN', 'CAP_SYS_ADMIN', 'CAP_SYS_RESOURCE', 'CAP_BPF'];
  const spec = { ociVersion: '1.0.2', process: { args: ['sh'], capabilities: { bounding: caps, effective: caps, permitted: caps } } };
  return { dir, fake, caps, spec };
}

function run(dir: string, fake: string, args: string[], bnd: string) {
  return spawnSync('sh', [script, ...args], { encoding: 'utf8', env: { ...process.env, BERTH_REAL_RUNC: fake, BERTH_RUNC_CAPBND: bnd }, cwd: dir });
}

(haveJq ? describe : describe.skip)('berth-runc', () => {
  it('drops CAP_SYS_RESOURCE from a bundle when the host lacks it, and calls runc with the same arguments', () => {
    const { dir, fake, spec } = setup();
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'b/config.json'), JSON.stringify(spec));
    const args = ['--root', '/run/x', '--log', 'l.json', 'create', '--bundle', path.join(dir, 'b'), '--pid-file', 'p', 'id1'];
    const r = run(dir, fake, args, ALL_BUT_SYS_RESOURCE);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(fs.readFileSync(path.join(dir, 'b/config.json'), 'utf8'));
    for (const set of ['bounding', 'effective', 'permitted']) expect(out.process.capabilities[set]).toEqual(['CAP_CHOWN', 'CAP_SYS_ADMIN', 'CAP_BPF']);
    expect(out.process.args).toEqual(['sh']);
    expect(fs.readFileSync(path.join(dir, 'args'), 'utf8').trim()).toBe(args.join(' '));
  });

  it('edits the process file of an exec, and changes nothing when the host has every capability', () => {
    const { dir, fake, caps, spec } = setup();
    const proc = path.join(dir, 'process.json');
    fs.writeFileSync(proc, JSON.stringify(spec.process));
    expect(run(dir, fake, ['exec', '--process', proc, '--detach', 'id1'], '000001ffffffffff').status).toBe(0);
    expect(JSON.parse(fs.readFileSync(proc, 'utf8')).capabilities.effective).toEqual(caps);
    expect(run(dir, fake, ['exec', `--process=${proc}`, 'id1'], ALL_BUT_SYS_RESOURCE).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(proc, 'utf8')).capabilities.effective).toEqual(['CAP_CHOWN', 'CAP_SYS_ADMIN', 'CAP_BPF']);
  });

  it('passes other commands straight through', () => {
    const { dir, fake } = setup();
    expect(run(dir, fake, ['state', 'id1'], ALL_BUT_SYS_RESOURCE).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'args'), 'utf8').trim()).toBe('state id1');
  });
});
