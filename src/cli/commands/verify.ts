import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DIST_DIR } from '../../contract';

/** `berth verify`: prove on the cluster that the deployed app survives restarts and keeps its data. */
export function register(program: Command): void {
  program
    .command('verify')
    .description('Check a deployed app: readiness, DB wiring, pod restarts under traffic, database persistence, data kept across destroy --keep-data')
    .option('--dist <dir>', 'directory with synthesized manifests', DEFAULT_DIST_DIR)
    .option('--app <name>', 'app to verify (default: the only app in --dist)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('-n, --namespace <ns>', 'namespace the app runs in (default: from the manifests, else "default")')
    .option('--json <file>', 'also write the JSON report to this file')
    .option('--skip-keep-data', 'skip the destroy --keep-data + deploy cycle')
    .option('--observe-seconds <n>', 'how long to watch restart counts after things are ready', '5')
    .option('--timeout-seconds <n>', 'limit for each wait on Kubernetes', '180')
    .option('--probe-image <image>', 'busybox image for the in-cluster traffic probe (default: $BERTH_PROBE_IMAGE, berth.local/busybox:1.35 with BERTH_IMAGES=local, else busybox:1.36)')
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
  skipKeepData?: boolean;
  observeSeconds: string;
  timeoutSeconds: string;
  probeImage?: string;
  ingressUrl?: string;
}

function positive(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number of seconds, got "${v}"`);
  return n;
}

async function verifyCommand(f: Flags): Promise<number> {
  // Loaded here, not at the top: client-node is slow to import and other commands do not need it.
  const { runVerify } = await import('../../verify');
  const { renderTable, toJson, EXIT_CHECK_FAILED, EXIT_ERROR, EXIT_OK } = await import('../../verify/report');
  const { distFile } = await import('../../verify/target');
  const { deployRedeployer } = await import('../../verify/redeploy');
  const { runCleanups } = await import('../../verify/cleanup');
  const log = (m: string) => process.stderr.write(`[verify] ${m}\n`);
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: removing the traffic probe pod, then exiting`);
    void runCleanups().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const observeSeconds = positive('--observe-seconds', f.observeSeconds);
    const timeoutSeconds = positive('--timeout-seconds', f.timeoutSeconds);
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
      redeployer: deployRedeployer({ distDir: f.dist, app, kubeconfig: f.kubeconfig, context: f.context, namespace: f.namespace, log }),
      log,
    });
    process.stdout.write(renderTable(report) + '\n');
    if (f.json) {
      fs.mkdirSync(path.dirname(path.resolve(f.json)), { recursive: true });
      fs.writeFileSync(f.json, toJson(report));
      log(`JSON report written to ${f.json}`);
    }
    return report.ok ? EXIT_OK : EXIT_CHECK_FAILED;
  } catch (e) {
    process.stderr.write(`berth verify: ${(e as Error).message}\n`);
    return EXIT_ERROR;
  }
}
