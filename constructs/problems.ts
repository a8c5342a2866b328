import { Construct } from 'constructs';
import { BerthChart } from './chart';

/**
 * Collects prop errors of one construct instead of throwing on the first, so
 * synth can report every problem at once. The errors surface through
 * `node.validate()`, which both `berth synth` and cdk8s' `App.synth()` run;
 * each is reported as `[<construct path>] <message>`.
 */
export class Problems {
  private readonly list: string[] = [];

  constructor(scope: Construct) {
    scope.node.addValidation({ validate: () => [...this.list] });
    // Let the chart skip its whole-app checks for objects of a construct whose props are already wrong (no echo errors).
    BerthChart.of(scope).trackProblems(scope.node.path, this);
  }

  /** Record `<prop> = <value>: <rule>` when `rule` (a format check result) is defined. Returns true when fine. */
  check(prop: string, value: unknown, rule: string | undefined): boolean {
    if (rule === undefined) return true;
    this.add(`${prop} = ${show(value)}: ${rule}`);
    return false;
  }

  add(message: string): void {
    this.list.push(message);
  }

  get count(): number {
    return this.list.length;
  }
}

/** Render a bad value for an error message: strings quoted, the rest as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
