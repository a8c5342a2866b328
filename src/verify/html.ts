/**
 * `berth verify --report FILE.html`: one self-contained page (no network:
 * a Content-Security-Policy forbids it) with the checks table, the per-second
 * traffic chart of each restart window and the app's diagram. Pure: the
 * report object and the inlined assets in, the HTML text out.
 */
import type { CheckResult, TrafficTimeline, VerifyReport } from './types';

/** uPlot's script and stylesheet, inlined (read by html-assets.ts). */
export interface HtmlAssets {
  readonly chartJs: string;
  readonly chartCss: string;
}

export interface HtmlReportInput {
  readonly report: VerifyReport;
  /** Inline SVG of the app's diagram (no XML prolog), when dist/ was readable. */
  readonly diagramSvg?: string;
  readonly assets: HtmlAssets;
}

/** A timeline and the check it belongs to. */
interface ChartData {
  readonly check: string;
  readonly timeline: TrafficTimeline;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside <script>: no `</script>` or `<!--` can close it early. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

/** Text safe inside <script>/<style>: a literal `</script` or `</style` would end the element. */
function rawText(s: string, tag: 'script' | 'style'): string {
  return s.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}

function isTimeline(v: unknown): v is TrafficTimeline {
  const t = v as TrafficTimeline | undefined;
  return !!t && typeof t.startedAt === 'string' && Array.isArray(t.markers);
}

export function timelinesOf(r: VerifyReport): ChartData[] {
  return r.checks.filter((c) => isTimeline(c.details.timeline)).map((c) => ({ check: c.id, timeline: c.details.timeline as TrafficTimeline }));
}

function checksTable(checks: CheckResult[]): string {
  const rows = checks.map(
    (c) =>
      `<tr class="check ${c.status}" data-id="${esc(c.id)}"><td class="status">${c.status.toUpperCase()}</td><td>${esc(c.check)}</td><td>${esc(c.target)}</td><td class="num">${(c.durationMs / 1000).toFixed(1)}s</td><td>${esc(c.reason)}</td></tr>`,
  );
  return `<table id="checks"><thead><tr><th>Result</th><th>Check</th><th>Target</th><th>Time</th><th>Reason</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function chartSection(c: ChartData, i: number): string {
  const markers = c.timeline.markers.map(
    (m) => `<tr class="marker ${m.kind}"><td class="num">${(m.atMs / 1000).toFixed(1)}s</td><td>${esc(m.kind)}</td><td>${esc(m.label)}</td></tr>`,
  );
  return [
    `<section class="timeline" data-check="${esc(c.check)}">`,
    `<h3>${esc(c.check)}: requests per second from ${esc(c.timeline.startedAt)}</h3>`,
    `<div class="chart" id="chart-${i}"></div>`,
    markers.length ? `<table class="markers"><thead><tr><th>At</th><th>Event</th><th>What</th></tr></thead><tbody>${markers.join('')}</tbody></table>` : '',
    '</section>',
  ].join('\n');
}

/** Runs in the page: one uPlot chart per timeline, markers drawn as vertical lines; Ingress dashed so equal Service values stay visible. */
const CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var COLORS = { 'pod-deleted': '#c62828', 'pod-ready': '#2e7d32', node: '#6a1b9a' };
  var SERIES = [
    ['service', 'ok', 'Service answered', '#1565c0'],
    ['service', 'failed', 'Service failed', '#c62828'],
    ['ingress', 'ok', 'Ingress answered', '#2e7d32', [6, 4]],
    ['ingress', 'failed', 'Ingress failed', '#ef6c00', [6, 4]]
  ];
  function markerPlugin(markers) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.font = (10 * devicePixelRatio) + 'px sans-serif';
      markers.forEach(function (m) {
        var x = Math.round(u.valToPos(m.atMs / 1000, 'x', true));
        ctx.strokeStyle = ctx.fillStyle = COLORS[m.kind] || '#333';
        ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      });
      ctx.restore();
    }] } };
  }
  window.berthCharts = data.map(function (c, i) {
    var t = c.timeline;
    var n = Math.max((t.service || t.ingress || { ok: [0] }).ok.length, 1);
    var xs = []; for (var s = 0; s < n; s++) xs.push(s);
    var series = [{ label: 'second' }], cols = [xs];
    SERIES.forEach(function (d) {
      if (!t[d[0]]) return;
      series.push({ label: d[2], stroke: d[3], dash: d[4], width: 2, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } });
      cols.push(t[d[0]][d[1]]);
    });
    var el = document.getElementById('chart-' + i);
    return new uPlot({
      width: Math.min(900, el.parentElement.clientWidth || 900), height: 260,
      scales: { x: { time: false } },
      axes: [{ label: 'seconds from ' + t.startedAt }, { label: 'requests / s' }],
      series: series,
      plugins: [markerPlugin(t.markers)]
    }, cols, el);
  });
})();
`;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 960px; padding: 0 1em; color: #222; }
h1 .ok { color: #2e7d32; } h1 .failed { color: #c62828; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
#checks td:nth-child(-n+4) { white-space: nowrap; }
tr.pass td.status { color: #2e7d32; font-weight: bold; } tr.fail td.status { color: #c62828; font-weight: bold; } tr.skip td.status { color: #777; }
tr.marker.pod-deleted td:nth-child(2) { color: #c62828; } tr.marker.pod-ready td:nth-child(2) { color: #2e7d32; } tr.marker.node td:nth-child(2) { color: #6a1b9a; }
#diagram svg { max-width: 100%; height: auto; }
`;

export function renderHtmlReport({ report: r, diagramSvg, assets }: HtmlReportInput): string {
  const charts = timelinesOf(r);
  const n = (s: string) => r.checks.filter((c) => c.status === s).length;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Everything is inline; the policy makes sure opening the file never touches the network.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>berth verify: ${esc(r.app)} ${r.ok ? 'OK' : 'FAILED'}</title>`,
    `<style>${rawText(assets.chartCss, 'style')}\n${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>berth verify: app ${esc(r.app)} <span class="${r.ok ? 'ok' : 'failed'}" id="verdict">${r.ok ? 'OK' : 'FAILED'}</span></h1>`,
    `<p>namespace ${esc(r.namespace)}, context ${esc(r.context)}, started ${esc(r.startedAt)}, ${(r.durationMs / 1000).toFixed(1)}s: ${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped</p>`,
    '<h2>Checks</h2>',
    checksTable(r.checks),
    '<h2>Traffic during the disruptions</h2>',
    charts.length
      ? charts.map(chartSection).join('\n')
      : '<p id="no-traffic">No traffic was recorded (no WebApp was restarted, drained or stopped in this run).</p>',
    '<h2>Architecture</h2>',
    diagramSvg ? `<figure id="diagram">${diagramSvg}</figure>` : '<p id="no-diagram">No diagram: dist/ was not readable.</p>',
    `<script type="application/json" id="timeline-data">${scriptJson(charts)}</script>`,
    `<script>${rawText(assets.chartJs, 'script')}</script>`,
    `<script>${CHART_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
