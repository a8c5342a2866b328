import { Command, Option } from 'commander';
import { action, durationArg, onInterrupt, urlArg } from '../run';
import { targetOptions, TargetOpts } from '../target-options';
import { IMAGE_SETS, ImageSet } from '../../synth/images';
import { findProject } from '../../synth/project';

export function register(program: Command): void {
  targetOptions(program.command('deploy').description('Apply dist/ to the cluster (server-side apply, prune, wait until ready)'))
    .option('--timeout <duration>', 'bound on the whole command: apply, prune and waiting for readiness (e.g. 90s, 5m)', durationArg, '5m')
    .option('--create-namespace', 'create the target namespace when it does not exist (kept by prune and destroy)')
    .option('--no-wait', 'apply and prune, do not wait for readiness')
    .option('--no-prune', 'do not delete owned objects that are gone from dist/')
    .option('--allow-empty-prune', 'prune even when the manifest has no objects or no workloads left (deletes the app)')
    .option('--adopt', 'take over existing objects that lack the label berth.dev/app (prune and destroy may then delete them)')
    .option('--allow-data-loss', 'carry out replacements that lose data (claims deleted or no longer mounted)')
    .option('--no-synth', 'deploy dist/ as it is, even when app sources changed since it was written')
    .addOption(new Option('--images <set>', 'image set for apps that are re-synthesized (default: the one their manifest was made with)').choices(IMAGE_SETS))
    .option('--ingress-url <url>', 'where the ingress controller answers, for Ingresses without a published address', urlArg)
    .addOption(new Option('--progress <mode>', 'progress display').choices(['auto', 'live', 'plain', 'silent']).default('auto'))
    .addHelpText(
      'after',
      `
Examples:
  berth deploy                                  every app in dist/, current kubeconfig context
  berth deploy --app demo --context berth-local --timeout 2m
  berth deploy --namespace staging --create-namespace
  KUBECONFIG=/var/lib/berth-local/kubeconfig berth deploy

Before changing anything deploy refuses (exit 4): a prune that would empty the
app (--allow-empty-prune), objects that exist without the app's label
(--adopt), kinds berth's constructs never make unless the app declares them
(BerthChart allowKinds), and changes that would lose data (--allow-data-loss).
Immutable fields are handled by re-creating the object (StatefulSets with
their pods and claims kept). Exit codes: docs/exit-codes.md.`,
    )
    .action(
      action(
        'deploy',
        async (
          o: TargetOpts & {
            createNamespace?: boolean;
            timeout: string;
            wait: boolean;
            prune: boolean;
            allowEmptyPrune?: boolean;
            adopt?: boolean;
            allowDataLoss?: boolean;
            synth: boolean;
            images?: ImageSet;
            ingressUrl?: string;
            progress: 'auto';
          },
        ) => {
          if (o.synth) {
            // Loaded only here: synth pulls in cdk8s, which a deploy of a fresh dist/ does not need.
            const { ensureFreshDist } = await import('../pipeline');
            await ensureFreshDist({ root: findProject(), distDir: o.dist, app: o.app, images: o.images });
          }
          const { deploy } = await import('../../deploy');
          const done = onInterrupt('deploy', 'berth deploy');
          try {
            await deploy(o);
          } finally {
            done();
          }
        },
      ),
    );
}
