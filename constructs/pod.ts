import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { Problems, show } from './problems';
import { booleanProp, isRecord, knownKeys, objectProp } from './shapes';
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

export const PROBE_PROPS: (keyof ProbeOptions)[] = ['http', 'tcp', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'];

/** A readiness/liveness prop: undefined → TCP, `false` → none, else probe options (checked by `probe`). */
export function probeOption(problems: Problems, prop: string, value: unknown): ProbeOptions | undefined {
  if (value === undefined) return { tcp: true };
  if (value === false) return undefined;
  if (!isRecord(value)) {
    problems.add(`${prop} = ${show(value)}: must be false or an object such as { http: '/healthz' } or { tcp: true }`);
    return undefined;
  }
  knownKeys(problems, prop, value, PROBE_PROPS, prop);
  // `tcp: 'yes'` is reported once here, not again as "neither http nor tcp".
  if (value.tcp !== undefined && booleanProp(problems, `${prop}.tcp`, value.tcp) === undefined) return undefined;
  return value as ProbeOptions;
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
    problems.add(`${prop} = ${show(opts)}: set exactly one of \`http: '/path'\` or \`tcp: true\``);
  }
  if (hasHttp) {
    problems.checkText(`${prop}.http`, opts.http, rules.httpPath);
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

const RESOURCE_PROPS: (keyof ResourceOptions)[] = ['cpuRequest', 'cpuLimit', 'memoryRequest', 'memoryLimit'];

export function resources(prop: string, given: ResourceOptions | undefined, defaults: Required<ResourceOptions>, problems: Problems): IResourceRequirements {
  const shaped = objectProp<ResourceOptions>(problems, prop, given, "{ cpuLimit: '1', memoryLimit: '512Mi' }");
  knownKeys(problems, prop, shaped, RESOURCE_PROPS, prop);
  const r = { ...defaults, ...shaped };
  // Every field is checked (all problems at once); the request/limit comparison only when all four are valid.
  const ok = [
    problems.checkText(`${prop}.cpuRequest`, r.cpuRequest, rules.cpuQuantity),
    problems.checkText(`${prop}.cpuLimit`, r.cpuLimit, rules.cpuQuantity),
    problems.checkText(`${prop}.memoryRequest`, r.memoryRequest, rules.byteQuantity),
    problems.checkText(`${prop}.memoryLimit`, r.memoryLimit, rules.byteQuantity),
  ].every(Boolean);
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
