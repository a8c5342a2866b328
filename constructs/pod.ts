import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { Problems } from './problems';
import * as rules from './rules';

/** A readiness or liveness probe: exactly one of `http` (a path) or `tcp: true`, plus optional timing. */
export interface ProbeOptions {
  /** HTTP GET on this path of the container port. */
  readonly http?: string;
  /** Open a TCP connection to the container port. */
  readonly tcp?: boolean;
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
}

export function probe(prop: string, opts: ProbeOptions, port: number, problems: Problems): IProbe {
  const timing = {
    initialDelaySeconds: opts.initialDelaySeconds,
    periodSeconds: opts.periodSeconds ?? 10,
    timeoutSeconds: opts.timeoutSeconds ?? 3,
    failureThreshold: opts.failureThreshold ?? 3,
  };
  for (const [k, v] of Object.entries(timing)) {
    if (v !== undefined) problems.check(`${prop}.${k}`, v, rules.intRange(v, k === 'initialDelaySeconds' ? 0 : 1, 3600));
  }
  const hasHttp = opts.http !== undefined;
  if (hasHttp === (opts.tcp === true)) {
    problems.add(`${prop} = ${JSON.stringify(opts)}: set exactly one of \`http: '/path'\` or \`tcp: true\``);
  }
  if (hasHttp) {
    problems.check(`${prop}.http`, opts.http, rules.httpPath(opts.http!));
    return { httpGet: { path: opts.http, port: port }, ...timing };
  }
  return { tcpSocket: { port: port }, ...timing };
}

/** Requests and limits. Defaults depend on the construct; CPU as '250m'/'1', memory as '256Mi'/'1Gi'. */
export interface ResourceOptions {
  readonly cpuRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryRequest?: string;
  readonly memoryLimit?: string;
}

export function resources(prop: string, given: ResourceOptions | undefined, defaults: Required<ResourceOptions>, problems: Problems): IResourceRequirements {
  const r = { ...defaults, ...given };
  const ok =
    problems.check(`${prop}.cpuRequest`, r.cpuRequest, rules.cpuQuantity(r.cpuRequest)) &&
    problems.check(`${prop}.cpuLimit`, r.cpuLimit, rules.cpuQuantity(r.cpuLimit)) &&
    problems.check(`${prop}.memoryRequest`, r.memoryRequest, rules.byteQuantity(r.memoryRequest)) &&
    problems.check(`${prop}.memoryLimit`, r.memoryLimit, rules.byteQuantity(r.memoryLimit));
  if (ok) {
    if (rules.quantityValue(r.cpuRequest) > rules.quantityValue(r.cpuLimit)) {
      problems.add(`${prop}.cpuRequest = ${JSON.stringify(r.cpuRequest)}: must not exceed cpuLimit ${JSON.stringify(r.cpuLimit)}`);
    }
    if (rules.quantityValue(r.memoryRequest) > rules.quantityValue(r.memoryLimit)) {
      problems.add(`${prop}.memoryRequest = ${JSON.stringify(r.memoryRequest)}: must not exceed memoryLimit ${JSON.stringify(r.memoryLimit)}`);
    }
  }
  return {
    requests: { cpu: r.cpuRequest, memory: r.memoryRequest },
    limits: { cpu: r.cpuLimit, memory: r.memoryLimit },
  };
}

export type PullPolicy = 'IfNotPresent' | 'Always' | 'Never';
const PULL_POLICIES: PullPolicy[] = ['IfNotPresent', 'Always', 'Never'];

export function pullPolicy(value: PullPolicy | undefined, problems: Problems): PullPolicy {
  const v = value ?? 'IfNotPresent';
  problems.check('imagePullPolicy', v, PULL_POLICIES.includes(v) ? undefined : `must be one of ${PULL_POLICIES.join(', ')}`);
  return v;
}

/** Environment variables from a plain map, in the map's order (deterministic for a given app). */
export function plainEnv(env: Record<string, string> | undefined, problems: Problems): IEnvVar[] {
  return Object.entries(env ?? {}).map(([name, value]) => {
    problems.check(`env key`, name, rules.envName(name));
    if (typeof value !== 'string') problems.add(`env.${name} = ${JSON.stringify(value)}: must be a string (quote numbers and booleans)`);
    return { name, value: String(value) };
  });
}

/**
 * Container hardening that does not depend on the image's user: no privilege
 * escalation, no Linux capabilities, the runtime's default seccomp profile.
 */
export function hardenedContainer(runAsUser?: number, runAsGroup?: number): ISecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    ...(runAsUser !== undefined ? { runAsNonRoot: runAsUser !== 0, runAsUser, runAsGroup: runAsGroup ?? runAsUser } : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
