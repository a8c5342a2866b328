/** Waiting for applied objects to become ready (see waiter.ts for how). */
import { isAwaited } from '../../health/readiness';
import type { KubeClient } from '../../kube/client';
import type { KObject } from '../../kube/types';
import type { WaitOptions } from './options';
import { Waiter } from './waiter';

export type { Clock, Grace, WaitOptions } from './options';

/** Whether deploy waits for an applied object (everything else is ready once applied). */
export function needsWait(obj: KObject): boolean {
  return isAwaited(obj);
}

/** Resolve when every object is ready; reject DeployFailure/DeployTimeout with the reason. */
export function waitForReady(client: KubeClient, applied: KObject[], opts: WaitOptions): Promise<void> {
  return new Waiter(client, applied.filter(needsWait), opts).run();
}
