/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate callbacks run in the browser: they use DOM types.
import * as fs from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { parseManifest } from '../../src/dist';
import { buildDiagram, Diagram, dotToSvg, renderSvg, toDot } from '../../src/diagram';
import { renderHtmlReport } from '../../src/verify/html';
import { loadHtmlAssets } from '../../src/verify/html-assets';
import type { VerifyReport } from '../../src/verify/types';
import { loadApp, renderApp } from '../../src/synth';
import { artifact, launch, open, skipReason } from './browser';

// The demo's diagram and an HTML report (from a recorded-style report object), opened in real Chromium.
const demo = (): Diagram => {
  const [r] = renderApp('demo', loadApp('demo'));
  return buildDiagram('demo', parseManifest(r.yaml, r.fileName, 'demo'));
};
const reportFixture = (): VerifyReport => JSON.parse(fs.readFileSync(`${__dirname}/../unit/verify/fixtures/verify-report-demo.json`, 'utf8'));

jest.setTimeout(120_000);

(skipReason ? describe.skip : describe)(`in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let ctx: BrowserContext;
  beforeAll(async () => {
    ctx = await launch();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  test('the demo SVG shows every box and labelled edge of the model, without console errors', async () => {
    const d = demo();
    const file = artifact('demo.svg');
    fs.writeFileSync(file, await renderSvg(d));
    const { width, height } = await (async () => {
      const m = /<svg width="(\d+)pt" height="(\d+)pt"/.exec(fs.readFileSync(file, 'utf8'))!;
      return { width: Math.ceil((Number(m[1]) * 4) / 3), height: Math.ceil((Number(m[2]) * 4) / 3) };
    })();
    const { page, errors } = await open(ctx, file, { width, height });
    const dom = await page.evaluate(() => ({
      nodes: [...document.querySelectorAll('g.node')].map((g) => ({ id: g.id, text: [...g.querySelectorAll('text')].map((t) => t.textContent).join(' | ') })),
      edges: [...document.querySelectorAll('g.edge')].map((g) => ({
        id: g.id,
        cls: g.getAttribute('class'),
        text: [...g.querySelectorAll('text')].map((t) => t.textContent).join(' '),
      })),
      groups: [...document.querySelectorAll('g.cluster')].map((g) => g.id),
      size: (() => {
        const r = document.documentElement.getBoundingClientRect();
        return { w: r.width, h: r.height };
      })(),
    }));
    const pods = d.podGroups.flatMap((g) => g.pods);
    expect(dom.nodes.map((n) => n.id).sort()).toEqual([...d.nodes, ...pods].map((n) => n.id).sort());
    expect(dom.nodes.find((n) => n.id === 'configmap:demo-web-config')!.text).toContain('MONGO_URL = mongodb://demo-db:27017/demo');
    expect(dom.nodes.find((n) => n.id === 'pvc:data-demo-db-0')!.text).toContain('1Gi, default class');
    expect(dom.edges).toHaveLength(d.edges.length);
    for (const label of ['request', 'backend', 'selector', 'envFrom', 'secretKeyRef', 'volume', 'url']) {
      expect(dom.edges.filter((e) => e.cls === `edge edge-${label}`).length).toBeGreaterThan(0);
    }
    expect(dom.edges.find((e) => e.id === 'edge:pods:demo-web->secret:demo-db-credentials:secretKeyRef')!.text).toBe('secretKeyRef username, password');
    expect(dom.groups).toEqual(expect.arrayContaining(['cluster', 'pods:demo-web', 'pods:demo-db']));
    // Readable in a README column (about 830 px): no wider than that without shrinking text below ~9 px.
    expect(dom.size.w).toBeLessThan(1000);
    expect(errors).toEqual([]);
    await page.screenshot({ path: artifact('demo-diagram.png') });
  });

  test('the HTML report draws the checks, one chart with the Service and Ingress series and markers, and the diagram, offline', async () => {
    const report = reportFixture();
    const [r] = renderApp('demo', loadApp('demo'));
    const diagramSvg = await dotToSvg(toDot(buildDiagram('demo', parseManifest(r.yaml, r.fileName, 'demo'))));
    const file = artifact('verify-report.html');
    fs.writeFileSync(file, renderHtmlReport({ report, diagramSvg, assets: loadHtmlAssets() }));
    const { page, errors, requests } = await open(ctx, file);
    const dom = await page.evaluate(() => {
      const charts = (window as unknown as { berthCharts: { series: { label: string }[]; data: number[][] }[] }).berthCharts;
      return {
        rows: [...document.querySelectorAll('#checks tbody tr')].map((tr) => `${tr.getAttribute('data-id')} ${tr.querySelector('.status')!.textContent}`),
        verdict: document.getElementById('verdict')!.textContent,
        charts: charts.map((c) => ({ series: c.series.map((s) => s.label), data: c.data.map((col) => col.reduce((a, b) => a + (b ?? 0), 0)) })),
        canvases: document.querySelectorAll('.timeline canvas').length,
        legend: [...document.querySelectorAll('.u-legend .u-series .u-label')].map((l) => l.textContent),
        markers: [...document.querySelectorAll('tr.marker')].map((tr) => tr.className),
        diagramNodes: document.querySelectorAll('#diagram svg g.node').length,
      };
    });
    expect(dom.rows).toEqual(report.checks.map((c) => `${c.id} ${c.status.toUpperCase()}`));
    expect(dom.verdict).toBe('FAILED');
    expect(dom.charts).toHaveLength(1);
    expect(dom.charts[0].series).toEqual(['second', 'Service answered', 'Service failed', 'Ingress answered', 'Ingress failed']);
    const tl = report.checks.find((c) => c.id === 'availability/demo-web')!.details.timeline as {
      service: { ok: number[]; failed: number[] };
      ingress: { ok: number[]; failed: number[] };
    };
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect(dom.charts[0].data.slice(1)).toEqual([sum(tl.service.ok), sum(tl.service.failed), sum(tl.ingress.ok), sum(tl.ingress.failed)]);
    expect(dom.canvases).toBe(1);
    expect(dom.legend).toEqual(expect.arrayContaining(['Service answered', 'Ingress failed']));
    expect(dom.markers).toEqual(['marker pod-deleted', 'marker pod-ready', 'marker pod-deleted', 'marker pod-ready']);
    expect(dom.diagramNodes).toBeGreaterThan(10);
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    await page.screenshot({ path: artifact('verify-report.png'), fullPage: true });
  });
});
