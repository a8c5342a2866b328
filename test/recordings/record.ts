/**
 * Records how `waitForReady` sees a real cluster, for the replay unit tests
 * (test/unit/deploy/wait-replay.test.ts). Run by hand against a cluster:
 *
 *   node test/recordings/run.js [scenario ...] [--kubeconfig FILE] [--context NAME] [--out DIR]
 *
 * Without scenario names it records all of scenarios.ts. For each one it
 * creates the namespace waiter-rec-<scenario>, applies the app the way
 * deploy does (server-side apply, in dependency order), then runs
 * waitForReady through a recording proxy (proxy.ts) and writes
 * <out>/<scenario>.json (default test/unit/fixtures/watch): the applied
 * objects, every request the client made with its answer, each watch event
 * line with its time after the wait began, the progress updates and the
 * outcome. uids and IPs are replaced and Secret values dropped (scrub.ts).
 * The namespace (and anything cluster-scoped the scenario made) is deleted
 * afterwards. The local test cluster works as is (context berth-local);
 * elsewhere set BERTH_REC_BUSYBOX / BERTH_REC_PAUSE to pullable images.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyObjects } from '../../src/deploy/apply';
import { namespacedLookup } from '../../src/deploy/deploy';
import { waitGone } from '../../src/deploy/destroy';
import { DeployFailure, DeployTimeout } from '../../src/deploy/errors';
import { prepareObjects } from '../../src/deploy/plan';
import { needsWait, waitForReady } from '../../src/deploy/wait';
import { APP_LABEL } from '../../src/contract';
import { KubeClient } from '../../src/kube/client';
import { connect } from '../../src/kube/connect';
import { resolveContext } from '../../src/kube/context';
import type { KObject } from '../../src/kube/types';
import type { Outcome, Recording } from './format';
import { RecordingProxy } from './proxy';
import { Env, Scenario, SCENARIOS } from './scenarios';
import { Scrubber } from './scrub';

interface Args {
  names: string[];
  kubeconfig?: string;
  context?: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { names: [], out: path.resolve(__dirname, '../unit/fixtures/watch') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kubeconfig') args.kubeconfig = argv[++i];
    else if (a === '--context') args.context = argv[++i];
    else if (a === '--out') args.out = path.resolve(argv[++i]);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else args.names.push(a);
  }
  return args;
}

const nsRef = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', name });

async function freshNamespace(client: KubeClient, ns: string): Promise<void> {
  if (await client.get(nsRef(ns))) {
    await client.delete(nsRef(ns));
    await waitGone(client, nsRef(ns), Date.now() + 180_000);
  }
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'berth.dev/test': 'waiter-recording' } } }, 'berth-recorder');
}

async function record(client: KubeClient, args: Args, s: Scenario): Promise<Recording> {
  const ns = `waiter-rec-${s.name}`;
  const app = `rec-${s.name}`.slice(0, 40);
  const log = (msg: string): void => console.log(`[${s.name}] ${msg}`);
  const apply = async (objects: KObject[]): Promise<KObject[]> => {
    const isNamespaced = await namespacedLookup(client, objects);
    const desired = prepareObjects(objects, { app, namespace: ns, isNamespaced });
    const applied = await applyObjects(client, desired);
    return applied.filter((a) => needsWait(a.result)).map((a) => ({ ...a.result, apiVersion: a.desired.apiVersion, kind: a.desired.kind }));
  };
  const env: Env = { client, ns, app, log, apply };
  await freshNamespace(client, ns);
  const proxy = new RecordingProxy(resolveContext({ kubeconfig: args.kubeconfig, context: args.context }));
  const base = await proxy.start();
  const recorded = await KubeClient.fromContext({
    ...client.context,
    server: base,
    token: undefined,
    username: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    needsClientNodeAuth: false,
  });
  try {
    if (s.before) {
      log('setting up');
      await s.before(env);
    }
    const waited = await apply(s.objects(env));
    const wait = { timeoutMs: s.timeoutMs, labelSelector: `${APP_LABEL}=${app}`, grace: s.grace };
    const updates: Recording['updates'] = [];
    log(`waiting for ${waited.length} object(s)`);
    proxy.begin();
    const during = s.during?.(env);
    const outcome: Outcome = await waitForReady(recorded, waited, {
      ...wait,
      onUpdate: (name, h) => {
        updates.push({ at: proxy.now(), name, state: h.state, message: h.message });
        log(`${(proxy.now() / 1000).toFixed(1)}s ${name}: ${h.state} ${h.message}`);
      },
    }).then(
      (): Outcome => ({ result: 'ready', atMs: proxy.now() }),
      (e: Error): Outcome => {
        if (!(e instanceof DeployFailure || e instanceof DeployTimeout)) throw e;
        return { result: e instanceof DeployTimeout ? 'timeout' : 'failure', atMs: proxy.now(), message: e.message, object: (e as DeployFailure).object };
      },
    );
    await during;
    log(`${outcome.result} after ${(outcome.atMs / 1000).toFixed(1)}s${'message' in outcome ? `: ${outcome.message}` : ''}`);
    const version = await client.request<{ gitVersion: string }>('GET', '/version');
    const nodes = (await client.list('v1', 'Node')).length;
    const scrub = new Scrubber();
    return {
      scenario: s.name,
      description: s.description,
      recorded: { by: 'test/recordings/record.ts', date: new Date().toISOString().slice(0, 10), serverVersion: version.gitVersion, nodes },
      wait,
      applied: scrub.scrub(waited),
      outcome: scrub.scrub(outcome),
      updates: scrub.scrub(updates),
      exchanges: scrub.scrub(proxy.exchanges),
    };
  } finally {
    recorded.close();
    await proxy.close();
    await s.cleanup?.(env).catch((e) => log(`cleanup: ${(e as Error).message}`));
    await client.delete(nsRef(ns)).catch(() => false);
    await waitGone(client, nsRef(ns), Date.now() + 180_000).catch((e) => log(`namespace ${ns}: ${(e as Error).message}`));
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const unknown = args.names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const chosen = args.names.length ? SCENARIOS.filter((s) => args.names.includes(s.name)) : SCENARIOS;
  const client = await connect({ kubeconfig: args.kubeconfig, context: args.context });
  try {
    fs.mkdirSync(args.out, { recursive: true });
    for (const s of chosen) {
      const rec = await record(client, args, s);
      const file = path.join(args.out, `${s.name}.json`);
      fs.writeFileSync(file, `${JSON.stringify(rec, null, 1)}\n`);
      console.log(`[${s.name}] wrote ${path.relative(process.cwd(), file)} (${rec.exchanges.length} requests)`);
    }
  } finally {
    client.close();
  }
}

main().catch((e: Error) => {
  console.error(`record: ${e.message}`);
  process.exit(1);
});
