/**
 * Child process for the synth benchmark: builds an app of N WebApp+MongoDatabase
 * pairs in-process and writes it like `berth synth`, then prints one JSON line
 * with its own timings and peak RSS (process.resourceUsage().maxRSS, KiB).
 *   node lib/bench/synth-pairs.js <pairs> <outDir>
 */
import * as nodeModule from 'node:module';
nodeModule.enableCompileCache?.();
import { App } from 'cdk8s';
import { BerthChart, MongoDatabase, WebApp } from '../constructs';
import { renderApp } from '../src/synth';
import * as fs from 'node:fs';
import * as path from 'node:path';

function pairsApp(pairs: number) {
  return {
    build(app: App): BerthChart {
      const chart = new BerthChart(app, 'pairs');
      for (let i = 0; i < pairs; i++) {
        const db = new MongoDatabase(chart, `db${i}`, { engine: 'ferretdb', storage: '1Gi' });
        new WebApp(chart, `web${i}`, {
          image: 'berth.local/demo-web:0.1.0',
          port: 8080,
          ingress: { host: `app${i}.my-app.com` },
          readiness: { http: '/readyz' },
          database: db,
        });
      }
      return chart;
    },
  };
}

if (require.main === module) {
  const pairs = Number(process.argv[2] ?? '1');
  const outDir = process.argv[3] ?? 'bench/tmp/pairs';
  const t0 = performance.now();
  const [rendered] = renderApp('pairs', pairsApp(pairs));
  const t1 = performance.now();
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, rendered.fileName), rendered.yaml);
  const t2 = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      pairs,
      objects: rendered.objects,
      bytes: Buffer.byteLength(rendered.yaml),
      renderMs: Math.round(t1 - t0),
      writeMs: Math.round(t2 - t1),
      processMs: Math.round(t2 + performance.timeOrigin - performance.timeOrigin),
      maxRssKiB: process.resourceUsage().maxRSS,
    })}\n`,
  );
}
