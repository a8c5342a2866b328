/** Options shared by deploy, diff, destroy and status. */
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
  return cmd
    .option('--dist <dir>', 'directory with <app>.k8s.yaml manifests', DEFAULT_DIST_DIR)
    .option('-a, --app <name>', 'only this app (default: every app in --dist)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('-n, --namespace <ns>', "namespace for objects that set none (default: the context's, else default)");
}
