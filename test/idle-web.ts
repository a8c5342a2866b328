import type { WebAppProps } from '../constructs';

/** A container that only sleeps, and stops at once on SIGTERM. */
export const IDLE_COMMAND = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

/**
 * A WebApp that runs but serves nothing (one replica of a sleeping shell image, no probes, no drain delay),
 * for the tests about rollouts, ownership and namespaces rather than about serving. `overrides` adds or replaces props.
 */
export function idleWebProps(image: string, overrides: Partial<WebAppProps> = {}): WebAppProps {
  return { image, port: 8080, replicas: 1, command: IDLE_COMMAND, drainSeconds: 0, readiness: false, liveness: false, ...overrides };
}
