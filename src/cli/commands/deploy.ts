import { Command, Option } from 'commander';
import { deploy } from '../../deploy';
import { fail, targetOptions, TargetOpts } from '../../deploy/cli-support';

export function register(program: Command): void {
  targetOptions(program.command('deploy').description('Apply dist/ to the cluster (server-side apply, prune, wait until ready)'))
    .option('--timeout <duration>', 'how long to wait for readiness (e.g. 90s, 5m)', '5m')
    .option('--create-namespace', 'create the target namespace when it does not exist (kept by prune and destroy)')
    .option('--no-wait', 'apply and prune, do not wait for readiness')
    .option('--no-prune', 'do not delete owned objects that are gone from dist/')
    .option('--no-synth', 'do not re-synthesize when app sources are newer than dist/')
    .option('--ingress-url <url>', 'where the ingress controller answers, for Ingresses without a published address')
    .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'live', 'plain', 'silent']).default('auto'))
    .addHelpText(
      'after',
      `
Examples:
  berth deploy                                  every app in dist/, current kubeconfig context
  berth deploy --app demo --context berth-local --timeout 2m
  berth deploy --namespace staging --create-namespace
  KUBECONFIG=/var/lib/berth-local/kubeconfig berth deploy

Exit code 0 only when every object is ready. On failure the reason is printed
(image pull errors with the image, crash loops with the last log lines,
unschedulable pods, claims that do not bind, unreachable cluster).`,
    )
    .action(async (o: TargetOpts & { createNamespace?: boolean; timeout: string; wait: boolean; prune: boolean; synth: boolean; ingressUrl?: string; progress: 'auto' }) => {
      try {
        await deploy({ ...o, resynth: o.synth });
      } catch (e) {
        fail(e);
      }
    });
}
