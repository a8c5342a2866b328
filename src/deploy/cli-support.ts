/** Options and error reporting shared by deploy, diff, destroy and status. */
import { Command } from 'commander';
import { DEFAULT_DIST_DIR } from '../contract';
import { KubeconfigError } from '../cluster/context';
import { ApplyError } from './apply';
import { DeployFailure, DeployTimeout } from './errors';
import { ClusterUnreachableError, KubeApiError } from './kube';
import { ManifestError } from './manifest';

export interface TargetOpts {
  dist: string;
  app?: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
}

export function targetOptions(cmd: Command): Command {
  return cmd
    .option('--dist <dir>', 'directory with <app>.k8s.yaml manifests', DEFAULT_DIST_DIR)
    .option('-a, --app <name>', 'only this app (default: every app in --dist)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('-n, --namespace <ns>', "namespace for objects that set none (default: the context's, else default)");
}

/** Known failures print one clear message and exit 1; anything else is a bug and shows its stack. */
export function fail(e: unknown): void {
  const known =
    e instanceof DeployFailure ||
    e instanceof DeployTimeout ||
    e instanceof ClusterUnreachableError ||
    e instanceof KubeconfigError ||
    e instanceof ManifestError ||
    e instanceof ApplyError ||
    e instanceof KubeApiError;
  const prefix = e instanceof DeployFailure ? 'deploy failed: ' : e instanceof DeployTimeout ? 'deploy did not finish: ' : '';
  process.stderr.write(`berth: ${prefix}${known || !(e instanceof Error) ? String((e as Error)?.message ?? e) : (e.stack ?? e.message)}\n`);
  process.exitCode = 1;
}
