import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DIST_DIR } from '../../contract';
import { UsageError } from '../../errors';
import { EXIT, exitCodeOf, reportError } from '../exit-codes';
import { clusterOptions } from '../target-options';

/** `berth verify`: prove on the cluster that the deployed app survives restarts and keeps its data. */
export function register(program: Command): void {
  clusterOptions(
    program
      .command('verify')
      .description(
        'Check a deployed app: readiness, DB wiring, pod restarts and node drain or failure under traffic, database persistence, data kept across destroy --keep-data',
      )
      .option('--dist <dir>', 'directory with synthesized manifests', DEFAULT_DIST_DIR)
      .option('-a, --app <name>', 'app to verify (default: the only app in --dist)'),
  )
    .option('--json <file>', 'also write the JSON report to this file')
    .option('--report <file>', 'also write a self-contained HTML report (checks, traffic chart, diagram) to this file')
    .option('--skip-keep-data', 'skip the destroy --keep-data + deploy cycle')
    .option('--only <checks>', 'run only these checks (comma-separated: wiring, restart, persistence, keep-data, node-drain, node-failure); ready always runs')
    .option('--observe-seconds <n>', 'how long to watch restart counts after things are ready', '5')
    .option('--timeout-seconds <n>', 'limit for each wait on Kubernetes', '180')
    .option('--probe-image <image>', 'busybox image for the in-cluster traffic probe (default: a busybox image the nodes already hold, else busybox:1.36)')
    .option('--ingress-url <url>', 'where this machine reaches the Ingress controller (default: http://127.0.0.1:$BERTH_INGRESS_PORT or :80)')
    .action(async (opts) => {
      process.exitCode = await verifyCommand(opts);
    });
}

interface Flags {
  dist: string;
  app?: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  json?: string;
  report?: string;
  skipKeepData?: boolean;
  only?: string;
  observeSeconds: string;
  timeoutSeconds: string;
  probeImage?: string;
  ingressUrl?: string;
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number of seconds, got "${v}"`);
  return n;
}

function parseOnly<T extends string>(v: string, families: readonly T[]): T[] {
  const names = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !families.includes(n as T));
  if (!names.length || bad.length)
    throw new UsageError(`--only: unknown check ${bad.length ? `"${bad.join('", "')}"` : '(none given)'}; choose from ${families.join(', ')}`);
  return names as T[];
}

async function verifyCommand(f: Flags): Promise<number> {
  // Loaded here, not at the top: client-node is slow to import and other commands do not need it.
  const { runVerify, CHECK_FAMILIES } = await import('../../verify');
  const { renderTable, toJson } = await import('../../verify/report');
  const { distFile } = await import('../../verify/target');
  const { deployRedeployer } = await import('../redeploy');
  const { runCleanups } = await import('../../verify/cleanup');
  const log = (m: string) => process.stderr.write(`[verify] ${m}\n`);
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: undoing what verify changed (traffic probe pod, cordoned or stopped node), then exiting`);
    void runCleanups().finally(() => process.exit(EXIT.interrupted));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const observeSeconds = positive('--observe-seconds', f.observeSeconds);
    const timeoutSeconds = positive('--timeout-seconds', f.timeoutSeconds);
    const only = f.only === undefined ? undefined : parseOnly(f.only, CHECK_FAMILIES);
    const { app } = distFile(f.dist, f.app);
    const report = await runVerify({
      cluster: { kubeconfig: f.kubeconfig, context: f.context },
      distDir: f.dist,
      app,
      namespace: f.namespace,
      observeSeconds,
      timeoutSeconds,
      probeImage: f.probeImage,
      ingressUrl: f.ingressUrl,
      skipKeepData: !!f.skipKeepData,
      only,
      redeployer: deployRedeployer({ distDir: f.dist, app, kubeconfig: f.kubeconfig, context: f.context, namespace: f.namespace, log }),
      log,
    });
    process.stdout.write(renderTable(report) + '\n');
    if (f.json) {
      fs.mkdirSync(path.dirname(path.resolve(f.json)), { recursive: true });
      fs.writeFileSync(f.json, toJson(report));
      log(`JSON report written to ${f.json}`);
    }
    if (f.report) {
      await writeHtmlReport(f.report, report, f.dist);
      log(`HTML report written to ${f.report}`);
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  } catch (e) {
    reportError(e, 'verify');
    return exitCodeOf(e);
  }
}

/** The HTML page; the diagram is left out (with a note in the page) when dist/ cannot be drawn. */
async function writeHtmlReport(file: string, report: import('../../verify/types').VerifyReport, dist: string): Promise<void> {
  const { renderHtmlReport } = await import('../../verify/html');
  const { loadHtmlAssets } = await import('../../verify/html-assets');
  const { readDist } = await import('../../dist');
  const { buildDiagram, toDot, dotToSvg } = await import('../../diagram');
  let diagramSvg: string | undefined;
  try {
    const [d] = readDist(dist, report.app);
    diagramSvg = await dotToSvg(toDot(buildDiagram(d.app, d.objects)));
  } catch (e) {
    process.stderr.write(`[verify] no diagram in the HTML report: ${(e as Error).message}\n`);
  }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, renderHtmlReport({ report, diagramSvg, assets: loadHtmlAssets() }));
}
