import { EMPTY_INVENTORY, inventoryObject, inventoryOf, parseInventory, sameInventory, unionInventory } from '../../../src/deploy/inventory';
import { kindsToList } from '../../../src/deploy/prune';
import { obj } from './fixtures';

const widget = obj('Widget', 'w', {}, 'example.com/v1');

describe('inventory', () => {
  it('records each group/kind once, with namespaces, and reads back what it wrote', () => {
    const inv = inventoryOf([obj('Deployment', 'a'), obj('Deployment', 'b'), widget], ['ns', 'ns', 'other']);
    expect(inv).toEqual({
      kinds: [
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        { apiVersion: 'example.com/v1', kind: 'Widget' },
      ],
      namespaces: ['ns', 'other'],
    });
    const cm = inventoryObject('demo', 'ns', inv);
    expect(cm.metadata).toMatchObject({ name: 'berth-inventory-demo', namespace: 'ns', labels: { 'berth.dev/inventory': 'demo' } });
    // Not the app label: prune (which lists by it) must never see its own record.
    expect(cm.metadata.labels?.['berth.dev/app']).toBeUndefined();
    expect(parseInventory(cm)).toEqual(inv);
  });

  it('union keeps kinds gone from dist (written before apply), newer version winning', () => {
    const old = inventoryOf([widget, obj('ConfigMap', 'c')], ['ns']);
    const now = inventoryOf([obj('Widget', 'w', {}, 'example.com/v2'), obj('Deployment', 'd')], ['ns']);
    const u = unionInventory(old, now);
    expect(u.kinds.map((k) => `${k.apiVersion}/${k.kind}`)).toEqual(['apps/v1/Deployment', 'example.com/v2/Widget', 'v1/ConfigMap']);
    expect(sameInventory(u, unionInventory(u, now))).toBe(true);
    expect(sameInventory(u, now)).toBe(false);
  });

  it('a missing or unreadable record is empty, not an error', () => {
    expect(parseInventory(undefined)).toEqual(EMPTY_INVENTORY);
    expect(parseInventory(obj('ConfigMap', 'x', { data: { kinds: 'garbage\n/\nexample.com/v1/Widget' } })).kinds).toEqual([
      { apiVersion: 'example.com/v1', kind: 'Widget' },
    ]);
  });

  it('prune and destroy list recorded kinds that dist no longer has', () => {
    const kinds = kindsToList(
      [obj('Deployment', 'd')],
      [
        { apiVersion: 'example.com/v1', kind: 'Widget' },
        { apiVersion: 'apps/v1beta1', kind: 'Deployment' },
      ],
    );
    expect(kinds).toContainEqual({ apiVersion: 'example.com/v1', kind: 'Widget' });
    // A built-in kind is listed once, at the version berth knows is served.
    expect(kinds.filter((k) => k.kind === 'Deployment')).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment' }]);
  });
});
