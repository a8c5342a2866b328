import type { Marker } from '../mongo';
import { readMarker, withMongo } from '../mongo';
import { DbTarget } from '../target';
import { selectorString } from '../../contract';
import type { CheckResult } from '../types';
import { ResourceWatch } from '../watch';
import { CheckContext, CheckOutcome, runCheck } from './context';
import { ClaimInfo, dataClaim, waitRecreated } from './persistence';

/** What verify needs from deploy: tear the app down keeping PVCs, and deploy it again (waiting until ready). */
export interface Redeployer {
  destroyKeepData(): Promise<void>;
  deploy(): Promise<void>;
}

/**
 * Check 3b: after `destroy --keep-data` and a fresh `deploy`, every database
 * mounts the same PVC (same uid) and still holds the marker written in 3a.
 */
export async function checkKeepData(
  ctx: CheckContext,
  redeployer: Redeployer,
  dbs: { db: DbTarget; marker?: Marker; claim?: ClaimInfo }[],
): Promise<CheckResult[]> {
  let cycleError: string | undefined;
  const t0 = Date.now();
  try {
    ctx.log('keep-data: destroy --keep-data');
    await ctx.timing.k8s('destroy --keep-data', () => redeployer.destroyKeepData());
    ctx.log('keep-data: deploy');
    await ctx.timing.k8s('deploy (apply + wait ready)', () => redeployer.deploy());
  } catch (e) {
    cycleError = `destroy --keep-data + deploy failed: ${(e as Error).message}`;
  }
  const cycleMs = Date.now() - t0;
  const out: CheckResult[] = [];
  for (const { db, marker, claim } of dbs) {
    const r = await runCheck('keep-data', db.name, async (details) => {
      details.redeployMs = cycleMs;
      if (cycleError) throw new CheckOutcome('fail', cycleError, details);
      if (!marker) throw new CheckOutcome('fail', 'no marker to look for: the persistence check could not write one', details);
      const podName = `${db.name}-0`;
      const w = await ResourceWatch.pods(ctx.kube.client, db.namespace, selectorString(db.selector));
      try {
        const pod = await waitRecreated(ctx, w, podName, undefined, 'db pod ready after redeploy');
        const after = await dataClaim(ctx, db, pod);
        details.pvcBefore = claim;
        details.pvcAfter = after;
        const got = await withMongo(ctx.kube, db, podName, (c) => readMarker(c, db.database, marker._id));
        details.markerFound = !!got;
        if (!got || got.value !== marker.value) {
          throw new CheckOutcome(
            'fail',
            `marker ${marker._id} lost after destroy --keep-data + deploy (${after.claim ? `PVC ${after.claim}` : after.volumeType})`,
            details,
          );
        }
        if (!claim?.claim || after.uid !== claim.uid) {
          throw new CheckOutcome(
            'fail',
            `database came back on a different or no PVC (${claim?.claim ?? 'none'}/${claim?.uid ?? '-'} → ${after.claim ?? 'none'}/${after.uid ?? '-'})`,
            details,
          );
        }
        return `PVC ${after.claim} kept (uid unchanged) across destroy --keep-data + deploy; marker read back`;
      } finally {
        w.stop();
      }
    });
    // The destroy + deploy cycle is part of what this check took.
    out.push({ ...r, durationMs: r.durationMs + cycleMs });
  }
  return out;
}
