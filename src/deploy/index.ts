/** Programmatic API of berth's deploy stage (used by the CLI, tests, benchmarks and verify). */
export { deploy, deployApp, listOwned, DeployOptions, AppDeployResult, DEFAULT_TIMEOUT_MS } from './deploy';
export { destroy, DestroyOptions, DestroyResult, waitGone } from './destroy';
export { diff, formatDiffs, DiffOptions, AppDiff, ObjectDiff } from './diff';
export { status, formatStatus, StatusOptions, AppStatus, StatusRow } from './status';
export { readDist, listDistApps, parseManifest, DistApp, ManifestError } from './manifest';
export { connect, targetNamespace } from './connect';
export { KubeClient, KubeApiError, ClusterUnreachableError } from './kube';
export { DeployFailure, DeployTimeout, parseDuration } from './errors';
export { waitForReady } from './wait';
export { healthOf, Health } from './readiness';
export { loadKubeConfig, resolveContext, KubeconfigError, ContextOptions } from '../cluster/context';
export type { KObject, ObjectRef } from './types';
