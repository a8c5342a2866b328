/**
 * `berth synth --watch` on a throw-away project: the YAML follows each save,
 * type errors show up with file:line and the watcher keeps going after them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appSource, startBerth, TempProject, tempProject } from './temp-project';

let p: TempProject;
beforeEach(() => {
  p = tempProject();
});
afterEach(() => p.remove());

jest.setTimeout(60_000);

test('rewrites the YAML on every save, shows type errors as they appear, keeps running', async () => {
  p.write('apps/shop/app.ts', appSource('shop', 2));
  const w = startBerth(p, ['synth', '--watch']);
  try {
    await w.waitFor(/types ok .*; watching for changes/, 0);
    expect(p.read('dist/shop.k8s.yaml')).toContain('replicas: 2');

    let from = w.output.length;
    p.write('apps/shop/app.ts', appSource('shop', 3));
    await w.waitFor(/apps\/shop\/app\.ts: wrote .*shop\.k8s\.yaml in \d+ ms/, from);
    expect(p.read('dist/shop.k8s.yaml')).toContain('replicas: 3');
    await w.waitFor(/types ok/, from);

    from = w.output.length;
    p.write('apps/shop/app.ts', appSource('shop', 4).replace('return chart;', "const n: number = 'four';\n  void n;\n  return chart;"));
    await w.waitFor(/apps\/shop\/app\.ts:7:9 - error TS2322: Type 'string' is not assignable to type 'number'\./, from);

    from = w.output.length;
    p.write('apps/shop/app.ts', appSource('shop', 5));
    await w.waitFor(/types ok/, from);
    expect(p.read('dist/shop.k8s.yaml')).toContain('replicas: 5');

    // Editors that save by writing a temp file and renaming it over the original (vim, "safe write").
    from = w.output.length;
    const tmp = p.write('apps/shop/.app.ts.swp-new', appSource('shop', 6));
    fs.renameSync(tmp, path.join(p.dir, 'apps/shop/app.ts'));
    await w.waitFor(/types ok/, from);
    expect(p.read('dist/shop.k8s.yaml')).toContain('replicas: 6');
    expect(w.child.exitCode).toBeNull();
  } finally {
    expect(await w.stop()).toBe(0);
  }
});
