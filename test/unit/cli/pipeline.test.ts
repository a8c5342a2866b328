/**
 * Re-synth if stale, as `berth deploy` runs it before deploying: only apps
 * whose manifest no longer matches their sources, each with the image set its
 * manifest was made with, type-checked; a failure deploys nothing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureFreshDist } from '../../../src/cli/pipeline';
import { freshness } from '../../../src/synth/dist-state';
import { CLI, TempProject, tempProject } from '../synth/temp-project';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.remove());
jest.setTimeout(60_000);

/** An app whose image depends on the image set synth hands it. */
const app = (name: string, replicas: number) => `import { App } from 'cdk8s';
import { BerthChart, WebApp } from '../../constructs'; import type { ImageSet } from '../../src/synth/images';
export function build(app: App, images: ImageSet): BerthChart {
  const chart = new BerthChart(app, '${name}');
  new WebApp(chart, 'web', { image: images === 'local' ? 'berth.local/${name}:1.0.0' : 'nginx:1.27.0', port: 8080, replicas: ${replicas} });
  return chart;
}
`;

test('only stale apps are re-synthesized, keeping the image set their manifest was made with', async () => {
  p.write('apps/shop/app.ts', app('shop', 2));
  p.write('apps/blog/app.ts', app('blog', 2));
  expect(p.berth(['synth', '--images', 'local']).code).toBe(0);
  const dist = path.join(p.dir, 'dist');
  const log: string[] = [];
  expect(await ensureFreshDist({ root: p.dir, distDir: dist, log: (l) => log.push(l) })).toEqual([]);

  p.write('apps/shop/app.ts', app('shop', 3));
  expect(await ensureFreshDist({ root: p.dir, distDir: dist, log: (l) => log.push(l) })).toEqual(['shop']);
  expect(log).toEqual(['re-synthesized shop (app sources changed); images: local']);
  const yaml = p.read('dist/shop.k8s.yaml');
  expect(yaml).toContain('replicas: 3');
  expect(yaml).toContain('image: berth.local/shop:1.0.0');
  expect(freshness(p.dir, path.join(dist, 'shop.k8s.yaml'))).toEqual({ stale: false, images: 'local' });
  expect(freshness(p.dir, path.join(dist, 'blog.k8s.yaml'))).toEqual({ stale: false, images: 'local' });
});

test('a stale app with a type error is not re-synthesized: the error names file:line, dist/ stays', async () => {
  p.write('apps/shop/app.ts', app('shop', 2));
  expect(p.berth(['synth']).code).toBe(0);
  const before = p.read('dist/shop.k8s.yaml');
  p.write('apps/shop/app.ts', app('shop', 3).replace('return chart;', "const n: number = 'x';\n  void n;\n  return chart;"));
  await expect(ensureFreshDist({ root: p.dir, distDir: path.join(p.dir, 'dist'), log: () => undefined })).rejects.toThrow(
    /re-synth of shop failed, nothing deployed:\ntype errors \(1\):\n {2}apps\/shop\/app\.ts:6:9 - error TS2322/,
  );
  expect(p.read('dist/shop.k8s.yaml')).toBe(before);
  expect(fs.readdirSync(path.join(p.dir, 'dist'))).toEqual(['shop.k8s.yaml']);
});

test('berth deploy stops before touching the cluster when the re-synth fails, with the errors and no stack trace', () => {
  p.write('apps/shop/app.ts', app('shop', 2));
  expect(p.berth(['synth']).code).toBe(0);
  p.write('apps/shop/app.ts', app('shop', 3).replace('return chart;', "const n: number = 'x';\n  void n;\n  return chart;"));
  // A kubeconfig pointing nowhere: the command must fail on the type error first.
  const kubeconfig = p.write(
    'kubeconfig',
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
  );
  const r = p.berth(['deploy', '--kubeconfig', kubeconfig]);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^berth deploy: re-synth of shop failed, nothing deployed:\ntype errors \(1\):\n {2}apps\/shop\/app\.ts:6:9 - error TS2322/);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err).not.toContain('127.0.0.1');
});

test('a dist dir outside the project, or a command run outside any project, is deployed as it is, never rewritten', async () => {
  p.write('apps/shop/app.ts', app('shop', 2));
  // A manifest made elsewhere (a CI artifact) for an app of the same name: not this project's to rewrite.
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-artifact-'));
  try {
    const manifest = path.join(elsewhere, 'dist', 'shop.k8s.yaml');
    fs.mkdirSync(path.dirname(manifest));
    fs.writeFileSync(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-ci\n');
    expect(await ensureFreshDist({ root: p.dir, distDir: path.dirname(manifest), log: () => undefined })).toEqual([]);
    expect(await ensureFreshDist({ root: undefined, distDir: path.join(p.dir, 'dist'), log: () => undefined })).toEqual([]);
    expect(fs.existsSync(path.join(p.dir, 'dist'))).toBe(false);

    // The CLI from a directory that is no berth project: berth's own example apps are not synthesized over it.
    fs.writeFileSync(path.join(elsewhere, 'dist', 'demo.k8s.yaml'), '---\n');
    const kubeconfig = path.join(elsewhere, 'kubeconfig');
    fs.writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
    const r = spawnSync(process.execPath, [CLI, 'deploy', '--app', 'demo', '--kubeconfig', kubeconfig], { cwd: elsewhere, encoding: 'utf8' });
    expect(r.stdout + r.stderr).not.toContain('re-synthesized');
    expect(r.status).not.toBe(0);
    expect(fs.readFileSync(path.join(elsewhere, 'dist', 'demo.k8s.yaml'), 'utf8')).toBe('---\n');
    expect(fs.readFileSync(manifest, 'utf8')).toContain('from-ci');
  } finally {
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
});
