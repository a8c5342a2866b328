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
  private silenced = false;

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

  /** Like check, for rules over strings: a value of another type is reported as such instead of reaching the rule. */
  checkText(prop: string, value: unknown, rule: (s: string) => string | undefined): boolean {
    return this.check(prop, value, typeof value === 'string' ? rule(value) : 'must be a string');
  }

  add(message: string): void {
    if (!this.silenced) this.list.push(message);
  }

  /** Record nothing more: after "props is not an object" every other finding would only echo it. */
  silence(): void {
    this.silenced = true;
  }

  get count(): number {
    return this.list.length;
  }
}

/**
 * Render a bad value for an error message: strings quoted (newlines escaped),
 * numbers as JavaScript writes them (NaN, Infinity, not JSON's `null`), the rest as JSON.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return String(value);
  const marks = new Map<string, string>();
  try {
    const json = JSON.stringify(value, (_k, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        const mark = `\u0000${marks.size}\u0000`;
        marks.set(JSON.stringify(mark), String(v));
        return mark;
      }
      return v;
    });
    if (json === undefined) return String(value);
    let out = json;
    for (const [mark, text] of marks) out = out.split(mark).join(text);
    return out;
  } catch {
    return String(value);
  }
}
