import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { resolveContext } from '../../kube/context';
import { DEFAULT_KIND_NAME, kindConfigYaml, kindContextName, kindCreateArgs, kindLoadArgs } from '../../cluster/kind';
import { INGRESS_CHOICES, KindIngress, kindIngressFrom } from '../../cluster/kind-ingress';
import { installIngress, planIngress } from '../../cluster/ingress-install';
import { DEFAULT_MINIKUBE_PROFILE, minikubeIngressHint, minikubeLoadArgs, minikubeStartArgs } from '../../cluster/minikube';
import { runTool } from '../../cluster/tools';
import { UsageError } from '../../errors';
import { reportError } from '../exit-codes';

type Flavor = 'kind' | 'minikube';

function flavorOf(o: { kind?: boolean; minikube?: boolean }, fallback?: () => Flavor | undefined): Flavor {
  if (o.kind && o.minikube) throw new UsageError('choose one of --kind or --minikube');
  if (o.kind) return 'kind';
  if (o.minikube) return 'minikube';
  const f = fallback?.();
  if (f) return f;
  throw new UsageError('say which cluster: --kind or --minikube');
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

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function ingressSummary(i: KindIngress): string {
  if (i.controller === 'nginx') return `ingress-nginx from ${i.manifestUrl}`;
  if (i.controller === 'traefik') return `Traefik (${i.image}, loaded into kind)`;
  return 'none (install one that runs on the ingress-ready node yourself)';
}

function show(cmd: string, args: string[]): string {
  return [cmd, ...args].map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

export function register(program: Command): void {
  const cluster = program.command('cluster').description('Create a local kind or minikube cluster and load images into it');

  cluster
    .command('create')
    .description(
      'kind: write a cluster config (ingress ports 80/443 on the host, node label ingress-ready=true), create it and install an ingress controller on that node; minikube: start with the ingress addon',
    )
    .option('--kind', 'create a kind cluster (needs kind and Docker)')
    .option('--minikube', 'start a minikube profile')
    .option('--name <name>', 'cluster name / minikube profile', DEFAULT_KIND_NAME)
    .option('--http-port <port>', 'host port for ingress HTTP (kind)', '80')
    .option('--https-port <port>', 'host port for ingress HTTPS (kind)', '443')
    .option('--workers <n>', 'extra worker nodes (kind)', '0')
    .option('--node-image <image>', 'kindest/node image (kind)')
    .option(
      '--ingress <controller>',
      `ingress controller for the ingress-ready node (kind): ${INGRESS_CHOICES.join(', ')}; nginx downloads ingress-nginx's pinned kind manifest, traefik needs --ingress-image (offline)`,
      'nginx',
    )
    .option('--ingress-image <image>', 'Traefik image from your Docker engine, loaded into kind (with --ingress traefik)')
    .option('--kubeadm-patch <file>', 'kubeadm config patch (YAML) to add to the kind config; repeatable (kind)', collect, [] as string[])
    .option('--wait <seconds>', 'how long kind waits for the control plane (kind)', '120')
    .option('--config-out <file>', 'where to write the kind config (default: $BERTH_CACHE_DIR/kind/<name>.yaml)')
    .option('--dry-run', 'print the config and commands, run nothing')
    .action(
      async (o: {
        kind?: boolean;
        minikube?: boolean;
        name: string;
        httpPort: string;
        httpsPort: string;
        workers: string;
        nodeImage?: string;
        ingress: string;
        ingressImage?: string;
        kubeadmPatch: string[];
        wait: string;
        configOut?: string;
        dryRun?: boolean;
      }) => {
        try {
          const flavor = flavorOf(o);
          if (flavor === 'kind') {
            const ingress = kindIngressFrom(o.ingress, o.ingressImage);
            const patches = o.kubeadmPatch.map((f) => {
              try {
                return fs.readFileSync(f, 'utf8');
              } catch (e) {
                throw new UsageError(`--kubeadm-patch ${f}: ${(e as Error).message}`);
              }
            });
            const wait = Number(o.wait);
            if (!Number.isInteger(wait) || wait < 1) throw new UsageError(`--wait must be a whole number of seconds, got "${o.wait}"`);
            const yaml = kindConfigYaml({
              name: o.name,
              httpPort: Number(o.httpPort),
              httpsPort: Number(o.httpsPort),
              workers: Number(o.workers),
              nodeImage: o.nodeImage,
              kubeadmConfigPatches: patches,
            });
            // Outside the project tree by default: the cache dir berth already uses for the local cluster.
            const cacheDir = process.env.BERTH_CACHE_DIR || path.join(os.homedir(), '.cache', 'berth');
            const file = path.resolve(o.configOut || path.join(cacheDir, 'kind', `${o.name}.yaml`));
            const args = kindCreateArgs(o.name, file, wait);
            const load = ingress.controller === 'traefik' ? kindLoadArgs(ingress.image, o.name) : undefined;
            if (o.dryRun) {
              process.stdout.write(`# ${file}\n${yaml}\n# then: ${show('kind', args)}\n`);
              if (load) process.stdout.write(`# then: ${show('kind', load)}\n`);
              process.stdout.write(`# then: ingress controller ${ingressSummary(ingress)}\n`);
              return;
            }
            if (ingress.controller === 'nginx') process.stdout.write(`downloading ${ingress.manifestUrl}\n`);
            const plan = await planIngress(ingress); // before creating anything: offline, nginx fails here
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, yaml);
            process.stdout.write(`wrote ${file}\n$ ${show('kind', args)}\n`);
            runTool('kind', args);
            const context = kindContextName(o.name);
            if (load) {
              process.stdout.write(`$ ${show('kind', load)}\n`);
              runTool('kind', load);
            }
            process.stdout.write(`ingress controller: ${ingressSummary(ingress)}\n`);
            if (plan) await installIngress(plan, { cluster: { context }, log: (m) => process.stdout.write(`${m}\n`) });
            process.stdout.write(
              `cluster ready: context ${context}, ingress on host ports ${o.httpPort}/${o.httpsPort}. Next: berth deploy --context ${context}\n`,
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
          reportError(e, 'cluster');
        }
      },
    );

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
        reportError(e, 'cluster');
      }
    });
}
