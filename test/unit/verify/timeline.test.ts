import { Tally } from '../../../src/verify/traffic';

test('perSecond buckets answered and failed requests per second, zeros included', () => {
  const t = new Tally('svc');
  const at = [
    [900, true], // before the window
    [1000, true],
    [1500, true],
    [2100, false],
    [2999, false],
    [4200, true],
    [4500, true], // the window's last instant lands in the last bucket
  ] as const;
  for (const [ms, ok] of at) t.record(ok, ok ? undefined : 'ECONNREFUSED', ms);
  expect(t.perSecond(1000, 4500)).toEqual({ ok: [2, 0, 0, 2], failed: [0, 2, 0, 0] });
  expect(t.perSecond(5000, 5000)).toEqual({ ok: [0], failed: [0] });
});
