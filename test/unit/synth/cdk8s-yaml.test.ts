import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');

test("cdk8s.yaml's app command writes $CDK8S_OUTDIR/demo.k8s.yaml, the same bytes as berth synth, without a build", () => {
  const { app, output } = parse(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { app: string; output: string };
  expect(output).toBe('dist');
  const [viaCdk8s, viaBerth] = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cdk8s-yaml-')));
  const env = { ...process.env, BERTH_IMAGES: 'local', PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
  // cdk8s runs the app through a shell with CDK8S_OUTDIR set (cdk8s-cli lib/util.js).
  const r = spawnSync(app, { shell: true, cwd: ROOT, encoding: 'utf8', env: { ...env, CDK8S_OUTDIR: viaCdk8s } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const b = spawnSync(process.execPath, [path.join(ROOT, 'bin/berth.js'), 'synth', '--app', 'demo', '--out', viaBerth], { cwd: ROOT, encoding: 'utf8', env });
  expect(b.status).toBe(0);
  expect(fs.readdirSync(viaCdk8s)).toEqual(['demo.k8s.yaml']);
  expect(fs.readFileSync(path.join(viaCdk8s, 'demo.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(viaBerth, 'demo.k8s.yaml'), 'utf8'));
});
