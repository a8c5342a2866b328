import { ApiObject, Chart, ChartProps, DependencyGraph } from 'cdk8s';
import { Construct } from 'constructs';
import { ALLOW_KIND_ANNOTATION, APP_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../src/contract';
import { show } from './problems';
import * as rules from './rules';
import { checkManifests, ManifestObject } from './validation/manifests';
import { checkSchemas } from './validation/schema';
import { SchemaCache } from './validation/schema-cache';

const BERTH_CHART = Symbol.for('berth.BerthChart');

export interface BerthChartProps extends Omit<ChartProps, 'labels' | 'disableResourceNameHashes'> {
  /** Secrets the app's pods or Ingresses use that are created outside this app (e.g. by an operator or by hand). */
  readonly externalSecrets?: string[];
  /** ConfigMaps the app's pods use that are created outside this app. */
  readonly externalConfigMaps?: string[];
  /**
   * Kinds beyond those berth's constructs make (e.g. ClusterRole, Namespace, a custom resource)
   * that this app ships on purpose: berth deploy refuses undeclared ones.
   */
  readonly allowKinds?: string[];
}

/**
 * One berth app = one chart; its id is the app name (`dist/<app>.k8s.yaml`).
 * It stamps the contract labels on every object and, at validation time,
 * checks the synthesized manifests as a whole (names, references, selectors,
 * ports) and against the Kubernetes schema.
 */
export class BerthChart extends Chart {
  /** The BerthChart a construct lives in; berth constructs need one. */
  static of(scope: Construct): BerthChart {
    const chart: Construct = Chart.of(scope);
    if (BerthChart.isBerthChart(chart)) return chart;
    throw new Error(`${scope.node.path}: berth constructs must be created inside a BerthChart (got ${chart.constructor.name} ${chart.node.path})`);
  }

  /** Symbol-based check: Chart's own `instanceof` is true for any Chart, subclasses included. */
  static isBerthChart(x: unknown): x is BerthChart {
    return x !== null && typeof x === 'object' && BERTH_CHART in x;
  }

  readonly appName: string;
  private readonly externals = { Secret: new Set<string>(), ConfigMap: new Set<string>() };
  private readonly allowKinds: ReadonlySet<string>;
  private rendered: RenderedObject[] | undefined;
  private readonly tracked: { path: string; problems: { readonly count: number } }[] = [];
  private problems: string[] | undefined;

  constructor(scope: Construct, appName: string, props: BerthChartProps = {}) {
    super(scope, appName, {
      ...props,
      disableResourceNameHashes: true,
      labels: { [APP_LABEL]: appName, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    });
    this.appName = appName;
    this.allowKinds = new Set(props.allowKinds ?? []);
    Object.defineProperty(this, BERTH_CHART, { value: true });
    const propProblems: string[] = [];
    for (const [prop, kind] of [
      ['externalSecrets', 'Secret'],
      ['externalConfigMaps', 'ConfigMap'],
    ] as const) {
      const list: unknown = props[prop];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        propProblems.push(`${prop} = ${show(list)}: must be a list of ${kind} names`);
        continue;
      }
      for (const name of list) {
        const rule = typeof name === 'string' ? rules.dns1123Subdomain(name) : 'must be a string';
        if (rule) propProblems.push(`${prop} entry ${show(name)}: ${rule}`);
        else this.declareExternal(kind, name);
      }
    }
    const nameRule = typeof appName === 'string' ? rules.dns1123Label(appName, 40) : 'must be a string';
    this.node.addValidation({
      validate: () => {
        if (nameRule !== undefined) return [`app name ${show(appName)} ${nameRule}`];
        if (propProblems.length > 0) return propProblems;
        return this.validateManifests();
      },
    });
  }

  /** Declare that a Secret or ConfigMap referenced by this app exists outside it. */
  declareExternal(kind: 'Secret' | 'ConfigMap', name: string): void {
    this.externals[kind].add(name);
  }

  /** Called by each berth construct's Problems collector. */
  trackProblems(path: string, problems: { readonly count: number }): void {
    this.tracked.push({ path, problems });
  }

  isExternal(kind: 'Secret' | 'ConfigMap', name: string): boolean {
    return this.externals[kind].has(name);
  }

  /**
   * The chart's objects as JSON, in the same order as Chart.toJson() (dependency
   * topology), computed once: validation and `berth synth` output share it.
   * Unlike Chart.toJson() it does not re-run the whole app's validation.
   */
  renderObjects(): RenderedObject[] {
    if (this.rendered === undefined) {
      this.rendered = new DependencyGraph(this.node)
        .topology()
        .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === this)
        .map((o) => ({ path: o.node.path, doc: this.declareKind(o.toJson()) }));
    }
    return this.rendered;
  }

  /** Mark an object of an allowed kind so deploy accepts it (contract: ALLOW_KIND_ANNOTATION). */
  private declareKind(doc: any): any {
    if (!this.allowKinds.has(doc.kind)) return doc;
    doc.metadata = { ...doc.metadata, annotations: { ...doc.metadata?.annotations, [ALLOW_KIND_ANNOTATION]: doc.kind } };
    return doc;
  }

  private validateManifests(): string[] {
    if (this.problems === undefined) {
      const rendered = this.renderObjects();
      const count = new Map<string, string[]>();
      for (const r of rendered) {
        const key = `${r.doc.kind}|${r.doc.metadata?.namespace ?? ''}|${r.doc.metadata?.name ?? ''}`;
        count.set(key, [...(count.get(key) ?? []), r.path]);
      }
      const faulty = this.tracked.filter((t) => t.problems.count > 0).map((t) => `${t.path}/`);
      const objects: ManifestObject[] = rendered.map((r) => ({
        ...r,
        allPaths: count.get(`${r.doc.kind}|${r.doc.metadata?.namespace ?? ''}|${r.doc.metadata?.name ?? ''}`)!,
      }));
      this.problems = [
        ...checkManifests(objects, {
          isExternal: (kind, name) => this.isExternal(kind, name),
          isReported: (o) => faulty.some((f) => o.path.startsWith(f)),
        }),
        ...checkSchemas(
          objects.filter((o) => !faulty.some((f) => o.path.startsWith(f))),
          SchemaCache.forApp(this.appName),
        ),
      ];
    }
    return this.problems;
  }
}

export interface RenderedObject {
  /** Construct path of the ApiObject, for error messages. */
  readonly path: string;
  readonly doc: any;
}
