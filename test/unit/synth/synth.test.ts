import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { listApps, synth, SynthError } from '../../../src/synth';

const FIXTURES = path.join(__dirname, '../fixtures/apps');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'berth-synth-'));

function withImages<T>(images: string, fn: () => T): T {
  const old = process.env.BERTH_IMAGES;
  process.env.BERTH_IMAGES = images;
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env.BERTH_IMAGES;
    else process.env.BERTH_IMAGES = old;
  }
}

const read = (f: string) => fs.readFileSync(f, 'utf8');

test('lists the apps under apps/', () => {
  expect(listApps()).toEqual(expect.arrayContaining(['demo', 'external-db', 'ephemeral-db']));
});

describe.each(['local', 'upstream'])('images=%s', (images) => {
  test('synth of all apps writes one <app>.k8s.yaml each, deterministically', () => {
    const [a, b] = [tmp(), tmp()];
    const filesA = withImages(images, () => synth({ outDir: a }));
    withImages(images, () => synth({ outDir: b }));
    expect(filesA.map((f) => path.basename(f.file)).sort()).toEqual(['demo.k8s.yaml', 'ephemeral-db.k8s.yaml', 'external-db.k8s.yaml']);
    for (const f of fs.readdirSync(a)) expect(read(path.join(b, f))).toBe(read(path.join(a, f)));
    expect(fs.readdirSync(a).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  test('no credential in dist/: no stringData, no password key, Secrets hold only the user name', () => {
    const out = tmp();
    withImages(images, () => synth({ outDir: out }));
    for (const f of fs.readdirSync(out)) {
      const text = read(path.join(out, f));
      expect(text).not.toMatch(/stringData/);
      for (const doc of parseAllDocuments(text).map((d) => d.toJS())) {
        if (doc.kind !== 'Secret') continue;
        expect(Object.keys(doc.data ?? {})).toEqual(['username']);
        expect(doc.metadata.annotations['berth.dev/generate-keys']).toBe('password');
      }
    }
  });

  test('demo dist matches the reviewed snapshot', () => {
    const out = tmp();
    withImages(images, () => synth({ apps: ['demo'], outDir: out }));
    expect(read(path.join(out, 'demo.k8s.yaml'))).toMatchSnapshot();
  });
});

test('the demo is the classic setup: Ingress at my-app.com, URL in a ConfigMap, Secret, StatefulSet with PVC', () => {
  const out = tmp();
  withImages('upstream', () => synth({ apps: ['demo'], outDir: out }));
  const docs = parseAllDocuments(read(path.join(out, 'demo.k8s.yaml'))).map((d) => d.toJS());
  const byKind = (k: string) => docs.filter((d) => d.kind === k);
  expect(byKind('Ingress')[0].spec.rules[0].host).toBe('my-app.com');
  expect(byKind('ConfigMap')[0].data.MONGO_URL).toBe('mongodb://demo-db:27017/demo?authSource=admin');
  expect(byKind('Secret')).toHaveLength(1);
  expect(byKind('StatefulSet')[0].spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
  expect(byKind('StatefulSet')[0].spec.template.spec.containers[0].image).toBe('mongo:7.0.14');
});

describe('errors', () => {
  test('all problems are reported and nothing is written, not even the good app', () => {
    const out = path.join(tmp(), 'dist');
    let err: unknown;
    try {
      synth({ appsRoot: FIXTURES, apps: ['good', 'bad'], outDir: out });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SynthError);
    expect((err as SynthError).problems).toEqual([
      '[bad/web] port = 0: must be an integer from 1 to 65535',
      "[bad/db] storage.size = \"10 gigs\": must be a byte quantity such as '512Mi', '1Gi' or '1G'",
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('an existing dist/ file is left untouched on error', () => {
    const out = tmp();
    synth({ appsRoot: FIXTURES, apps: ['good'], outDir: out });
    const before = read(path.join(out, 'good.k8s.yaml'));
    expect(() => synth({ appsRoot: FIXTURES, apps: ['good', 'bad'], outDir: out })).toThrow(SynthError);
    expect(read(path.join(out, 'good.k8s.yaml'))).toBe(before);
    expect(fs.readdirSync(out)).toEqual(['good.k8s.yaml']);
  });

  test('unknown app names the known ones', () => {
    expect(() => synth({ appsRoot: FIXTURES, apps: ['nope'], outDir: tmp() })).toThrow('unknown app "nope": apps are bad, good');
  });

  test('a bad BERTH_IMAGES value is an error, not a silent default', () => {
    expect(() => withImages('latest', () => synth({ apps: ['demo'], outDir: tmp() }))).toThrow(
      'apps/demo: BERTH_IMAGES="latest" is not allowed: use upstream or local',
    );
  });
});
