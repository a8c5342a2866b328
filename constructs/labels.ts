import { APP_LABEL, COMPONENT_LABEL, INSTANCE_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, NAME_LABEL } from '../src/contract';

/** Labels that select one construct's pods. Kept minimal because selectors are immutable after the first deploy. */
export function selectorLabels(appName: string, instance: string): Record<string, string> {
  return { [APP_LABEL]: appName, [INSTANCE_LABEL]: instance };
}

/** All contract labels for an object (and its pods) made by a berth construct. */
export function objectLabels(appName: string, instance: string, name: string, component: string): Record<string, string> {
  return {
    [APP_LABEL]: appName,
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [NAME_LABEL]: name,
    [INSTANCE_LABEL]: instance,
    [COMPONENT_LABEL]: component,
  };
}
