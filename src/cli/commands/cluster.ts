import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { resolveContext } from '../../cluster/context';
import { DEFAULT_KIND_NAME, kindConfigYaml, kindContextName, kindCreateArgs, kindLoadArgs } from '../../cluster/kind';
import { DEFAULT_MINIKUBE_PROFILE, minikubeIngressHint, minikubeLoadArgs, minikubeStartArgs } from '../../cluster/minikube';
import { runTool } from '../../cluster/tools';

type Flavor = 'kind' | 'minikube';

function flavorOf(o: { kind?: boolean; minikube?: boolean }, fallback?: () => Flavor | undefined): Flavor {
  if (o.kind && o.minikube) throw new Error('choose one of --kind or --minikube');
  if (o.kind) return 'kind';
  if (o.minikube) return 'minikube';
  const f = fallback?.();
  if (f) return f;
  throw new Error('say which cluster: --kind or --minikube');
}

/** kind-<name> or a minikube profile, from the current kubeconfig context. */
function flavorFromContext(): Flavor | undefined {
  try {
    const c = resolveContext({}).contextName;
    if (c.startsWith('kind-')) return 'kind';
    if (c === 'minikube' || c === DEFAULT_MINIKUBE_PROFILE) return 'minikube';
  } catch {
    /* no kubeconfig: caller asks for a flag */
  }
  return undefined;
}

function show(cmd: string, args: string[]): string {
  return [cmd, ...args].map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

export function register(program: Command): void {
  const cluster = program.command('cluster').description('Create a local kind or minikube cluster and load images into it');

  cluster
    .command('create')
    .description('kind: write a cluster config (ingress ports 80/443 on the host, node label ingress-ready=true) and create it; minikube: start with the ingress addon')
    .option('--kind', 'create a kind cluster (needs kind and Docker)')
    .option('--minikube', 'start a minikube profile')
    .option('--name <name>', 'cluster name / minikube profile', DEFAULT_KIND_NAME)
    .option('--http-port <port>', 'host port for ingress HTTP (kind)', '80')
    .option('--https-port <port>', 'host port for ingress HTTPS (kind)', '443')
    .option('--workers <n>', 'extra worker nodes (kind)', '0')
    .option('--node-image <image>', 'kindest/node image (kind)')
    .option('--config-out <file>', 'where to write the kind config (default: $BERTH_CACHE_DIR/kind/<name>.yaml)')
    .option('--dry-run', 'print the config and commands, run nothing')
    .action((o: { kind?: boolean; minikube?: boolean; name: string; httpPort: string; httpsPort: string; workers: string; nodeImage?: string; configOut?: string; dryRun?: boolean }) => {
      try {
        const flavor = flavorOf(o);
        if (flavor === 'kind') {
          const yaml = kindConfigYaml({
            name: o.name,
            httpPort: Number(o.httpPort),
            httpsPort: Number(o.httpsPort),
            workers: Number(o.workers),
            nodeImage: o.nodeImage,
          });
          // Outside the project tree by default: the cache dir berth already uses for the local cluster.
          const cacheDir = process.env.BERTH_CACHE_DIR || path.join(os.homedir(), '.cache', 'berth');
          const file = path.resolve(o.configOut || path.join(cacheDir, 'kind', `${o.name}.yaml`));
          const args = kindCreateArgs(o.name, file);
          if (o.dryRun) {
            process.stdout.write(`# ${file}\n${yaml}\n# then: ${show('kind', args)}\n`);
            return;
          }
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, yaml);
          process.stdout.write(`wrote ${file}\n$ ${show('kind', args)}\n`);
          runTool('kind', args);
          process.stdout.write(
            `cluster ready: context ${kindContextName(o.name)}. kind has no ingress controller: install one that runs on the ` +
              `ingress-ready node (e.g. ingress-nginx's kind manifest), then: berth deploy --context ${kindContextName(o.name)}\n`,
          );
        } else {
          const args = minikubeStartArgs({ profile: o.name });
          if (o.dryRun) {
            process.stdout.write(`${show('minikube', args)}\n`);
            return;
          }
          process.stdout.write(`$ ${show('minikube', args)}\n`);
          runTool('minikube', args);
          process.stdout.write(`cluster ready: context ${o.name}; ${minikubeIngressHint(o.name)}\n`);
        }
      } catch (e) {
        process.stderr.write(`berth: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });

  cluster
    .command('load-image')
    .description('Copy local images into the cluster (kind load docker-image / minikube image load)')
    .argument('<image...>', 'image references, e.g. berth.local/demo-web:0.1.0')
    .option('--kind', 'target a kind cluster')
    .option('--minikube', 'target a minikube profile')
    .option('--name <name>', 'cluster name / minikube profile', DEFAULT_KIND_NAME)
    .option('--dry-run', 'print the commands, run nothing')
    .action((images: string[], o: { kind?: boolean; minikube?: boolean; name: string; dryRun?: boolean }) => {
      try {
        const flavor = flavorOf(o, flavorFromContext);
        for (const image of images) {
          const [cmd, args] = flavor === 'kind' ? ['kind', kindLoadArgs(image, o.name)] : ['minikube', minikubeLoadArgs(image, o.name)];
          process.stdout.write(`$ ${show(cmd, args as string[])}\n`);
          if (!o.dryRun) runTool(cmd, args as string[]);
        }
      } catch (e) {
        process.stderr.write(`berth: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
