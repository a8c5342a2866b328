/**
 * berth synth never synthesizes stale code: apps are found by their
 * TypeScript sources only, an edited app (or a module it imports) is always
 * run as it is now, type errors fail with file:line and leave dist/ alone,
 * and the stale-dist check compares contents, not time stamps.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appSource, TempProject, tempProject } from './temp-project';
import { freshness, recordDist } from '../../../src/synth/dist-state';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.remove());

const replicasOf = (yaml: string) => Number(/replicas: (\d+)/.exec(yaml)?.[1]);

test('a deleted or renamed app is not synthesized, even with its compiled JS left behind', () => {
  p.write('apps/shop/app.ts', appSource('shop'));
  p.write('apps/gone/app.ts', appSource('gone'));
  expect(p.berth(['synth']).code).toBe(0);
  expect(fs.readdirSync(path.join(p.dir, 'dist')).sort()).toEqual(['gone.k8s.yaml', 'shop.k8s.yaml']);

  // "gone" is renamed to "store": its old compiled JS stays, as a previous build would leave it.
  fs.rmSync(path.join(p.dir, 'apps/gone'), { recursive: true });
  p.write('lib/apps/gone/app.js', 'exports.build = () => { throw new Error("stale build ran"); };');
  p.write('apps/gone/app.js', 'exports.build = () => { throw new Error("stale build ran"); };');
  p.write('apps/store/app.ts', appSource('store'));
  fs.rmSync(path.join(p.dir, 'dist'), { recursive: true });

  const r = p.berth(['synth']);
  expect(r.err).toBe('');
  expect(r.out).toMatch(/synthesized 2 apps/);
  expect(fs.readdirSync(path.join(p.dir, 'dist')).sort()).toEqual(['shop.k8s.yaml', 'store.k8s.yaml']);
  const gone = p.berth(['synth', '--app', 'gone']);
  expect(gone.code).toBe(1);
  expect(gone.err).toContain('unknown app "gone": apps are shop, store');
});

test('an edited app, and a module it imports, are run as they are now, whatever their time stamps', () => {
  const app = p.write('apps/shop/app.ts', appSource('shop', 'REPLICAS', "import { REPLICAS } from './replicas';"));
  const helper = p.write('apps/shop/replicas.ts', 'export const REPLICAS = 2;\n');
  expect(p.berth(['synth']).code).toBe(0);
  expect(replicasOf(p.read('dist/shop.k8s.yaml'))).toBe(2);
  const { mtime } = fs.statSync(helper);

  // Same size, same time stamp, different content: only a content check sees it.
  fs.writeFileSync(helper, 'export const REPLICAS = 3;\n');
  fs.utimesSync(helper, mtime, mtime);
  expect(p.berth(['synth']).code).toBe(0);
  expect(replicasOf(p.read('dist/shop.k8s.yaml'))).toBe(3);

  fs.writeFileSync(app, appSource('shop', 4));
  fs.utimesSync(app, mtime, mtime);
  expect(p.berth(['synth']).code).toBe(0);
  expect(replicasOf(p.read('dist/shop.k8s.yaml'))).toBe(4);
});

test('a type error fails synth with file:line:col and exit 1, and dist/ keeps what it had', () => {
  p.write('apps/shop/app.ts', appSource('shop', 2));
  expect(p.berth(['synth']).code).toBe(0);
  const before = p.read('dist/shop.k8s.yaml');
  // A type-only error: the app would run and synthesize fine.
  p.write('apps/shop/app.ts', appSource('shop', 3).replace('return chart;', "const n: number = 'three';\n  void n;\n  return chart;"));
  const r = p.berth(['synth']);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/^ {2}apps\/shop\/app\.ts:7:9 - error TS2322: Type 'string' is not assignable to type 'number'\.$/m);
  expect(r.err).toContain('nothing was written to dist/');
  expect(p.read('dist/shop.k8s.yaml')).toBe(before);
  // --no-type-check is the explicit way around it.
  expect(p.berth(['synth', '--no-type-check']).code).toBe(0);
  expect(replicasOf(p.read('dist/shop.k8s.yaml'))).toBe(3);
});

test('the stale-dist check compares contents: sources, manifest and image set', () => {
  const src = p.write('apps/shop/app.ts', 'export const x = 1;\n');
  const manifest = p.write('dist/shop.k8s.yaml', 'kind: ConfigMap\n');
  expect(freshness(p.dir, manifest)).toMatchObject({ stale: true, reason: 'not written by berth synth here' });
  recordDist(p.dir, [{ manifest, yaml: 'kind: ConfigMap\n', images: 'local', files: [src] }]);
  expect(freshness(p.dir, manifest)).toEqual({ stale: false, images: 'local' });

  const { mtime } = fs.statSync(src);
  fs.writeFileSync(src, 'export const x = 2;\n');
  fs.utimesSync(src, mtime, mtime);
  expect(freshness(p.dir, manifest)).toEqual({ stale: true, reason: 'app sources changed', images: 'local' });

  recordDist(p.dir, [{ manifest, yaml: 'kind: ConfigMap\n', images: 'local', files: [src] }]);
  fs.writeFileSync(manifest, 'kind: Secret\n');
  expect(freshness(p.dir, manifest)).toEqual({ stale: true, reason: 'changed since berth synth wrote it', images: 'local' });
  fs.rmSync(manifest);
  expect(freshness(p.dir, manifest)).toEqual({ stale: true, reason: 'no manifest yet' });
  // A manifest berth has no record of keeps the image set it visibly uses.
  p.write('dist/shop.k8s.yaml', 'spec:\n  containers:\n    - image: berth.local/demo-web:0.1.0\n');
  expect(freshness(p.dir, manifest)).toMatchObject({ stale: true, images: 'local' });
});
