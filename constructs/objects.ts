import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct } from 'constructs';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';

/**
 * Typed factories for the Kubernetes objects berth writes: plain cdk8s
 * ApiObjects whose bodies are checked at compile time against the API types
 * of `kubernetes-models` (type-only imports, nothing loaded at run time).
 * The bodies are in wire format, exactly what lands in dist/; this avoids
 * loading cdk8s-plus' large generated L1 module and its per-object
 * camelCase conversion, which was a large part of synth time.
 */
type Body<T> = Omit<T, 'apiVersion' | 'kind'> & { metadata: { name: string } };

function make(scope: Construct, id: string, apiVersion: string, kind: string, body: object): ApiObject {
  return new ApiObject(scope, id, { apiVersion, kind, ...body } as ApiObjectProps);
}

export const configMap = (s: Construct, id: string, b: Body<IConfigMap>) => make(s, id, 'v1', 'ConfigMap', b);
export const secret = (s: Construct, id: string, b: Body<ISecret>) => make(s, id, 'v1', 'Secret', b);
export const service = (s: Construct, id: string, b: Body<IService>) => make(s, id, 'v1', 'Service', b);
export const deployment = (s: Construct, id: string, b: Body<IDeployment>) => make(s, id, 'apps/v1', 'Deployment', b);
export const statefulSet = (s: Construct, id: string, b: Body<IStatefulSet>) => make(s, id, 'apps/v1', 'StatefulSet', b);
export const podDisruptionBudget = (s: Construct, id: string, b: Body<IPodDisruptionBudget>) => make(s, id, 'policy/v1', 'PodDisruptionBudget', b);
export const ingress = (s: Construct, id: string, b: Body<IIngress>) => make(s, id, 'networking.k8s.io/v1', 'Ingress', b);
