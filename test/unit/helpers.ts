import { App } from 'cdk8s';
import { BerthChart, BerthChartProps } from '../../constructs';

export interface Built {
  readonly chart: BerthChart;
  /** Synthesized objects (same as dist/), in output order. */
  readonly docs: any[];
  /** Every validation problem as `[path] message`, as `berth synth` reports them. */
  readonly problems: string[];
}

/** Build a chart named `test` with `fn`, then validate and render it like `berth synth` does. */
export function build(fn: (chart: BerthChart) => void, props: BerthChartProps = {}, appName = 'test'): Built {
  const app = new App();
  const chart = new BerthChart(app, appName, props);
  fn(chart);
  const problems: string[] = [];
  for (const c of app.node.findAll()) for (const m of c.node.validate()) problems.push(`[${c.node.path}] ${m}`);
  return { chart, docs: chart.renderObjects().map((r) => r.doc), problems };
}

/** Like build, but fails the test on any problem. */
export function buildOk(fn: (chart: BerthChart) => void, props: BerthChartProps = {}): any[] {
  const b = build(fn, props);
  expect(b.problems).toEqual([]);
  return b.docs;
}

export function find(docs: any[], kind: string, name?: string): any {
  const hits = docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  if (hits.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${hits.length}`);
  return hits[0];
}

export function kinds(docs: any[]): string[] {
  return docs.map((d) => `${d.kind}/${d.metadata.name}`);
}

/** The one `kind` workload (optionally by name) with its pod spec and its first container. */
export function workload(docs: any[], kind: string, name?: string): { obj: any; pod: any; container: any } {
  const obj = find(docs, kind, name);
  const pod = obj.spec.template.spec;
  return { obj, pod, container: pod.containers[0] };
}
