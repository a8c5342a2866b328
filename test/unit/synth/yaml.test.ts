import { App, Yaml } from 'cdk8s';
import { stringifyManifests } from '../../../src/synth/yaml';
import { listApps, loadApp } from '../../../src/synth';
import { BerthChart } from '../../../constructs';

/** The fast writer must give exactly cdk8s' bytes, or `cdk8s synth` and `berth synth` would disagree. */
describe('stringifyManifests is byte-identical to cdk8s Yaml.stringify', () => {
  for (const images of ['local', 'upstream']) {
    test.each(listApps())(`app %s (images=${images})`, (name) => {
      const old = process.env.BERTH_IMAGES;
      process.env.BERTH_IMAGES = images;
      let chart: BerthChart;
      try {
        chart = loadApp(name).build(new App()) as BerthChart;
      } finally {
        if (old === undefined) delete process.env.BERTH_IMAGES;
        else process.env.BERTH_IMAGES = old;
      }
      const docs = chart.renderObjects().map((r) => r.doc);
      expect(stringifyManifests(docs)).toBe(Yaml.stringify(...docs));
    });
  }

  test('tricky scalars, keys and shapes', () => {
    const docs = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', annotations: { 'a/b': 'yes', c: 'no', d: 'on', e: 'null', f: '~', g: '' } },
        data: {
          port: '8080',
          octal: '0777',
          float: '1.5',
          sci: '1e3',
          sexa: '1:20',
          date: '2001-12-14',
          neg: '-1',
          colon: 'a: b',
          hash: 'a #b',
          lead: ' x',
          trail: 'x ',
          quote: '"q"',
          single: "it's",
          star: '*x',
          amp: '&x',
          bang: '!x',
          pct: '%x',
          at: '@x',
          tick: '`x',
          brace: '{x}',
          bracket: '[x]',
          comma: 'a,b',
          dash: '- x',
          q: '? x',
          url: 'mongodb://$(U):$(P)@db:27017/?authSource=admin',
          multi: 'line1\nline2',
          unicode: 'héllo',
          tab: 'a\tb',
          bool: 'True',
          Y: 'Y',
          n: 'n',
        },
      },
      { kind: 'X', list: [[1, 2], []], empty: {}, nums: [0, -3, 1.25, 1e21], nothing: null, t: true, objs: [{}, { a: [] }] },
      { kind: 'Y', '8080': 'numeric key', 'key: colon': 1 },
      undefined,
    ];
    for (const d of docs) expect(stringifyManifests([d])).toBe(Yaml.stringify(d));
    expect(stringifyManifests(docs)).toBe(Yaml.stringify(...docs));
  });
});
