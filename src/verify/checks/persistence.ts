import type { V1Pod } from '@kubernetes/client-node';
import { podRef } from '../kube';
import { Marker, newMarker, readMarker, withMongo, writeMarker } from '../mongo';
import { describePods, hopelessReason, isReady } from '../pods';
import { DbTarget } from '../target';
import { selectorString } from '../../contract';
import type { CheckResult } from '../types';
import { ResourceWatch } from '../watch';
import { CheckContext, CheckOutcome, runCheck } from './context';

/** The data PVC a database pod mounts: name and uid (uid proves it is the same claim, not a re-created one). */
export interface ClaimInfo {
  claim?: string;
  uid?: string;
  volumeType: string;
}

export async function dataClaim(ctx: CheckContext, db: DbTarget, pod: V1Pod): Promise<ClaimInfo> {
  const vols = pod.spec?.volumes ?? [];
  const tmpl = db.claimTemplates[0];
  const v = vols.find((x) => x.persistentVolumeClaim && (!tmpl || x.name === tmpl)) ?? vols.find((x) => x.persistentVolumeClaim);
  if (!v?.persistentVolumeClaim) {
    const data = db.podVolumes.find((x) => x.type !== 'secret' && x.type !== 'configMap' && x.type !== 'projected');
    return { volumeType: data ? `${data.type} volume "${data.name}"` : 'no data volume' };
  }
  const claim = v.persistentVolumeClaim.claimName;
  const pvc = await ctx.kube.client.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: db.namespace, name: claim });
  return { claim, uid: pvc?.metadata?.uid, volumeType: 'persistentVolumeClaim' };
}

function storageHint(db: DbTarget, claim: ClaimInfo): string {
  return claim.claim ? `PVC ${claim.claim}` : `StatefulSet ${db.name} has no volumeClaimTemplates, its data is on ${claim.volumeType}`;
}

/** Wait until pod `name` exists as a new pod (uid differs from `oldUid`) and is ready. */
export async function waitRecreated(ctx: CheckContext, w: ResourceWatch<V1Pod>, name: string, oldUid: string | undefined, label: string): Promise<V1Pod> {
  const fresh = (ps: V1Pod[]) => ps.find((p) => p.metadata?.name === name && p.metadata?.uid !== oldUid);
  await ctx.timing.k8s(label, () =>
    w.until((ps) => !!fresh(ps) && isReady(fresh(ps)!), {
      timeoutMs: ctx.timeoutMs,
      what: `database pod ${name} re-created and ready`,
      fail: (ps) => (fresh(ps) ? hopelessReason(fresh(ps)!) : undefined),
      describe: describePods,
    }),
  );
  return fresh(w.all)!;
}

/**
 * Check 3a: write a marker over the Mongo wire protocol, delete the database
 * pod, let the StatefulSet re-create it, check it mounts the same PVC (same
 * uid) and read the marker back. Returns the marker for the keep-data check.
 */
export async function checkDbRestart(ctx: CheckContext, db: DbTarget): Promise<{ result: CheckResult; marker?: Marker; claim?: ClaimInfo }> {
  let marker: Marker | undefined;
  let before: ClaimInfo | undefined;
  const result = await runCheck('persistence', db.name, async (details) => {
    const podName = `${db.name}-0`;
    const w = await ResourceWatch.pods(ctx.kube.client, db.namespace, selectorString(db.selector));
    try {
      const old = w.all.find((p) => p.metadata?.name === podName);
      if (!old || !isReady(old)) throw new CheckOutcome('fail', `database pod ${podName} is not ready (${describePods(w.all)})`);
      before = await dataClaim(ctx, db, old);
      details.storage = storageHint(db, before);
      details.pvcBefore = before;
      const m = newMarker();
      await withMongo(ctx.kube, db, podName, (c) => writeMarker(c, db.database, m));
      marker = m;
      details.marker = { id: m._id, database: db.database };
      ctx.log(`persistence: marker ${m._id} written; deleting pod ${podName}`);
      await ctx.kube.client.delete(podRef(db.namespace, podName));
      const fresh = await waitRecreated(ctx, w, podName, old.metadata?.uid, 'db pod re-created (terminate + PVC mount + start + ready)');
      const after = await dataClaim(ctx, db, fresh);
      details.pvcAfter = after;
      const got = await withMongo(ctx.kube, db, podName, (c) => readMarker(c, db.database, m._id));
      details.markerFound = !!got;
      if (!got || got.value !== m.value) {
        throw new CheckOutcome('fail', `marker ${m._id} ${got ? 'changed' : 'lost'} after pod ${podName} was re-created: ${storageHint(db, before)}`, details);
      }
      if (!before.claim) throw new CheckOutcome('fail', `marker survived, but ${storageHint(db, before)}: data would not survive rescheduling`, details);
      if (after.claim !== before.claim || after.uid !== before.uid) {
        throw new CheckOutcome('fail', `pod ${podName} came back on a different claim (${before.claim}/${before.uid} → ${after.claim}/${after.uid})`, details);
      }
      return `pod ${podName} re-created on the same PVC ${after.claim} (uid unchanged); marker read back`;
    } finally {
      w.stop();
    }
  });
  return { result, marker, claim: before };
}
