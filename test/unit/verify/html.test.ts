import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderHtmlReport, timelinesOf } from '../../../src/verify/html';
import { loadHtmlAssets } from '../../../src/verify/html-assets';
import type { VerifyReport } from '../../../src/verify/types';

const fixture = (): VerifyReport => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/verify-report-demo.json'), 'utf8'));
const assets = { chartJs: '/*chart*/', chartCss: '/*css*/' };

test('the page holds the checks table, the series the chart is drawn from and the diagram', () => {
  const r = fixture();
  const html = renderHtmlReport({ report: r, diagramSvg: '<svg id="d"><g class="node"></g></svg>', assets });
  for (const c of r.checks) expect(html).toContain(`<tr class="check ${c.status}" data-id="${c.id}">`);
  expect(html).toContain('<span class="failed" id="verdict">FAILED</span>');
  const data = JSON.parse(/<script type="application\/json" id="timeline-data">(.*?)<\/script>/s.exec(html)![1]);
  expect(data).toEqual([{ check: 'availability/demo-web', timeline: r.checks.find((c) => c.id === 'availability/demo-web')!.details.timeline }]);
  expect(html.match(/<tr class="marker /g)).toHaveLength(4);
  expect(html).toContain('<figure id="diagram"><svg id="d">');
  expect(html).toContain('<script>/*chart*/</script>');
});

test('self-contained: a CSP forbids the network and nothing references a URL to load', () => {
  const html = renderHtmlReport({ report: fixture(), assets: loadHtmlAssets() });
  expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
  expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
  expect(html).toContain('<p id="no-diagram">');
});

test('report text cannot break out of the page: HTML escaped, no early </script>', () => {
  const r = fixture();
  r.checks[0].reason = '<img src=x onerror=alert(1)>';
  (r.checks[4].details.timeline as { markers: { label: string }[] }).markers[0].label = '</script><script>alert(1)</script>';
  const html = renderHtmlReport({ report: r, assets });
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html.match(/<\/script>/g)).toHaveLength(3);
});

test('no restart window: the page says so instead of drawing an empty chart', () => {
  const r = fixture();
  r.checks = r.checks.filter((c) => c.check !== 'availability');
  expect(timelinesOf(r)).toEqual([]);
  expect(renderHtmlReport({ report: r, assets })).toContain('<p id="no-traffic">');
});
