/** Options shared by deploy, diff, destroy, status and dev; the cluster flags also by verify and diagram. */
import { Command } from 'commander';
import { DEFAULT_DIST_DIR } from '../contract';

export interface TargetOpts {
  dist: string;
  app?: string;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
}

export function targetOptions(cmd: Command): Command {
  return clusterOptions(
    cmd
      .option('--dist <dir>', 'directory with <app>.k8s.yaml manifests', DEFAULT_DIST_DIR)
      .option('-a, --app <name>', 'only this app (default: every app in --dist)'),
  );
}

/** Which cluster and namespace: the same three flags, with the same defaults, on every command that talks to one. */
export function clusterOptions(cmd: Command, note = ''): Command {
  return cmd
    .option('--context <name>', `${note}kubeconfig context (default: current-context)`)
    .option('--kubeconfig <file>', `${note}kubeconfig file (default: $KUBECONFIG or ~/.kube/config)`)
    .option('-n, --namespace <ns>', `${note}namespace for objects that set none (default: the context's, else default)`);
}
