import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DIST_DIR } from '../../contract';
import { UsageError } from '../../errors';
import { reportError } from '../exit-codes';
import { clusterOptions } from '../target-options';

type Format = 'svg' | 'mermaid';
const FORMATS: Format[] = ['svg', 'mermaid'];
const EXT: Record<Format, string> = { svg: '.svg', mermaid: '.mmd' };

interface Flags {
  app?: string;
  dist: string;
  out?: string;
  format: string;
  live?: boolean;
  report?: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
}

/** `berth diagram`: the app's architecture as a picture, from dist/ alone or with the cluster's live state. */
export function register(program: Command): void {
  clusterOptions(
    program
      .command('diagram')
      .description("Draw an app's architecture (user → Ingress → Service → pods → ConfigMap/Secret → database → volume) from dist/")
      .option('-a, --app <name>', 'app to draw (default: the only app in --dist)')
      .option('--dist <dir>', 'directory with <app>.k8s.yaml manifests', DEFAULT_DIST_DIR)
      .option('-o, --out <file>', 'output file, - for stdout (default: <dist>/<app>.svg, .mmd for mermaid, <app>.live.* with --live)')
      .option('--format <format>', `${FORMATS.join(' or ')}`, 'svg')
      .option('--live', "draw the cluster's state on it: pods per node, ready, restarts, endpoints, PVC phase")
      .option('--report <file>', 'with --live: a `berth verify --json` report whose verdict to show'),
    'with --live: ',
  )
    .addHelpText(
      'after',
      '\nExamples:\n  berth diagram                      dist/<app>.svg for the only app\n  berth diagram --app demo --format mermaid --out -\n  berth diagram --app demo --live    with pods, nodes and readiness from the cluster',
    )
    .action(async (f: Flags) => {
      try {
        await diagramCommand(f);
      } catch (e) {
        reportError(e, 'diagram');
      }
    });
}

async function diagramCommand(f: Flags): Promise<void> {
  if (!(FORMATS as string[]).includes(f.format)) throw new UsageError(`--format ${JSON.stringify(f.format)} is not known: use ${FORMATS.join(' or ')}`);
  if (f.report && !f.live) throw new UsageError('--report only adds to --live; add --live or drop --report');
  const format = f.format as Format;
  const { readDist, listDistApps } = await import('../../dist');
  const { buildDiagram, renderSvg, toMermaid } = await import('../../diagram');
  // readDist names the missing file or the empty dir; only several apps without --app is ours to say.
  const apps = f.app ? [f.app] : listDistApps(f.dist);
  if (apps.length > 1) throw new UsageError(`${f.dist} has several apps (${apps.join(', ')}): choose one with --app`);
  const [dist] = readDist(f.dist, apps[0]);
  let diagram = buildDiagram(dist.app, dist.objects);
  if (f.live) {
    const { fetchLive } = await import('../../diagram/fetch-live');
    const { withLiveState } = await import('../../diagram/live');
    const { readVerdict } = await import('../../diagram/verdict');
    const live = await fetchLive({ ...f, objects: dist.objects });
    diagram = withLiveState(diagram, live, f.report ? readVerdict(f.report) : undefined);
  }
  const text = format === 'svg' ? await renderSvg(diagram) : toMermaid(diagram);
  const out = f.out ?? path.join(f.dist, `${dist.app}${f.live ? '.live' : ''}${EXT[format]}`);
  if (out === '-') {
    process.stdout.write(text);
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, text);
  process.stderr.write(
    `${dist.app}: ${out} (${diagram.nodes.length + diagram.podGroups.reduce((n, g) => n + g.pods.length, 0)} boxes, ${diagram.edges.length} edges)\n`,
  );
}

/** A bad flag: reported as one line, no stack. */
