import { confirmDestroy, ConfirmIO } from '../../../src/cli/confirm';
import type { DestroyPlan } from '../../../src/deploy/destroy';
import { RefusedError } from '../../../src/errors';
import { obj } from '../deploy/fixtures';

const ns = (kind: string, name: string) => obj(kind, name, { metadata: { name, namespace: 'prod' } });

const plans: DestroyPlan[] = [
  {
    app: 'demo',
    context: 'context c (https://k:6443)',
    namespace: 'prod',
    namespaces: ['prod'],
    remove: [ns('Deployment', 'demo-web'), ns('Service', 'demo-web'), ns('PersistentVolumeClaim', 'data-demo-db-0'), ns('Secret', 'demo-db-credentials')],
    keep: [],
  },
  { app: 'shop', context: 'context c (https://k:6443)', namespace: 'prod', namespaces: ['prod'], remove: [ns('StatefulSet', 'shop-db')], keep: [] },
];

/** A fake terminal recording the order of what was shown and asked. */
function io(isTTY: boolean, answer = ''): ConfirmIO & { events: string[] } {
  const events: string[] = [];
  return {
    isTTY,
    events,
    write: (t) => events.push(`write:${t}`),
    ask: async (q) => {
      events.push(`ask:${q}`);
      return answer;
    },
  };
}

it('shows every app, with data and credentials on their own lines, before asking', async () => {
  const t = io(true, 'yes');
  await expect(confirmDestroy(plans, false, t)).resolves.toBe(true);
  expect(t.events.map((e) => e.split(':')[0])).toEqual(['write', 'ask']);
  const shown = t.events[0];
  expect(shown).toContain('app demo on context c');
  expect(shown).toContain('app shop on context c');
  expect(shown).toMatch(/delete 2 object\(s\): Deployment prod\/demo-web, Service prod\/demo-web/);
  expect(shown).toMatch(/\n {2}DATA: delete 1 PersistentVolumeClaim\(s\) and the data on them: PersistentVolumeClaim prod\/data-demo-db-0/);
  expect(shown).toMatch(/\n {2}CREDENTIALS: delete 1 Secret\(s\): Secret prod\/demo-db-credentials/);
  expect(t.events[1]).toContain('Delete these 5 object(s) of demo, shop?');
});

it('refuses without a terminal unless --yes, and deletes nothing', async () => {
  const t = io(false);
  await expect(confirmDestroy(plans, false, t)).rejects.toThrow(RefusedError);
  await expect(confirmDestroy(plans, false, t)).rejects.toThrow(/stdin is not a terminal/);
  expect(t.events.some((e) => e.startsWith('ask:'))).toBe(false);
  await expect(confirmDestroy(plans, true, io(false))).resolves.toBe(true);
});

it('anything but yes on the terminal is a refusal', async () => {
  await expect(confirmDestroy(plans, false, io(true, 'n'))).rejects.toThrow(/not confirmed/);
  await expect(confirmDestroy(plans, false, io(true, ''))).rejects.toThrow(/not confirmed/);
  await expect(confirmDestroy(plans, false, io(true, ' Y '))).resolves.toBe(true);
});

it('nothing to delete: nothing to ask', async () => {
  const t = io(false);
  await expect(confirmDestroy([{ ...plans[1], remove: [] }], false, t)).resolves.toBe(true);
  expect(t.events[0]).toContain('nothing to delete');
});
