import type { KObject } from '../../../src/kube/types';

export function obj(kind: string, name: string, extra: Partial<KObject> = {}, apiVersion?: string): KObject {
  const versions: Record<string, string> = {
    Deployment: 'apps/v1',
    StatefulSet: 'apps/v1',
    DaemonSet: 'apps/v1',
    Ingress: 'networking.k8s.io/v1',
    PodDisruptionBudget: 'policy/v1',
    CustomResourceDefinition: 'apiextensions.k8s.io/v1',
    ClusterRole: 'rbac.authorization.k8s.io/v1',
  };
  const { metadata, ...rest } = extra;
  return { apiVersion: apiVersion ?? versions[kind] ?? 'v1', kind, metadata: { name, ...(metadata ?? {}) }, ...rest };
}

export const berthApply = [{ manager: 'berth', operation: 'Apply' }];
export const controllerUpdate = [{ manager: 'kube-controller-manager', operation: 'Update' }];
