/** Programmatic API of berth's deploy stage (used by the CLI, tests, benchmarks and verify). */
export { deploy, deployApp, listOwned, DeployOptions, AppDeployResult, DEFAULT_TIMEOUT_MS } from './deploy';
export { destroy, DestroyOptions, DestroyResult, waitGone } from './destroy';
export { diff, formatDiffs, DiffOptions, AppDiff, ObjectDiff } from './diff';
export { status, formatStatus, StatusOptions, AppStatus, StatusRow } from './status';
export { readDist, listDistApps, parseManifest, DistApp, ManifestError } from '../dist';
export { connect, targetNamespace } from '../kube/connect';
export { KubeClient, KubeApiError, ClusterUnreachableError } from '../kube/client';
export { DeployFailure, DeployTimeout, parseDuration } from './errors';
export { waitForReady } from './wait';
export { healthOf, Health } from '../health/readiness';
export { loadKubeConfig, resolveContext, KubeconfigError, ContextOptions } from '../kube/context';
export type { KObject, ObjectRef } from '../kube/types';
