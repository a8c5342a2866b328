import { Construct } from 'constructs';
import { Chart } from 'cdk8s';
import { Problems } from './problems';
import * as rules from './rules';

/**
 * Stable, readable object names: `<chart id>-<construct ids below the chart>`,
 * lowercased (e.g. chart `demo`, construct `web` → `demo-web`). No hashes, so
 * a user (and deploy/verify) can predict every name; uniqueness is checked at
 * synth time instead.
 */
export function baseName(scope: Construct, explicit: string | undefined, problems: Problems, maxLength = 63): string {
  if (explicit !== undefined) {
    problems.checkText('name', explicit, (n) => rules.dns1035Label(n) ?? lengthRule(n, maxLength));
    return explicit;
  }
  const chart = Chart.of(scope);
  const below = scope.node.scopes.slice(scope.node.scopes.indexOf(chart) + 1).map((c) => c.node.id);
  const name = [chart.node.id, ...below].join('-').toLowerCase();
  const rule = rules.dns1035Label(name) ?? lengthRule(name, maxLength);
  if (rule !== undefined) {
    problems.add(
      `derived name ${JSON.stringify(name)} (chart id + construct ids) ${rule.replace(/^must/, 'must')}; rename the construct or set the \`name\` prop`,
    );
  }
  return name;
}

function lengthRule(name: string, max: number): string | undefined {
  return name.length > max ? `must be at most ${max} characters` : undefined;
}
