import { Traffic, trafficTimeline } from '../../../src/verify/checks/restart';
import { Tally } from '../../../src/verify/traffic';

/** Ingress traffic only: one request every 500 ms over [from, to). */
function ingressTraffic(from: number, to: number): Traffic {
  const tally = new Tally('ingress');
  for (let at = from; at < to; at += 500) tally.record(true, undefined, at);
  return { ingress: { tally, stop: async () => undefined } };
}

describe("a disruption's traffic chart", () => {
  const disruption = Date.parse('2026-11-30T10:00:10Z');
  const marker = { atMs: 2000, kind: 'node' as const, label: 'cordoned n2' };

  it('starts 5 s before the disruption when traffic ran that long, markers moved by that lead', () => {
    const t = trafficTimeline(ingressTraffic(disruption - 8000, disruption + 4000), { from: disruption, to: disruption + 4000 }, [marker]);
    expect(t.startedAt).toBe('2026-11-30T10:00:05.000Z');
    expect(t.ingress!.ok).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(t.markers).toEqual([{ ...marker, atMs: 7000 }]);
  });

  it('starts at the first request when traffic began less than 5 s before, so no empty seconds look like an outage', () => {
    const t = trafficTimeline(ingressTraffic(disruption - 1500, disruption + 3000), { from: disruption, to: disruption + 3000 }, [marker]);
    expect(t.startedAt).toBe('2026-11-30T10:00:08.500Z');
    expect(t.ingress!.ok[0]).toBeGreaterThan(0);
    expect(t.markers).toEqual([{ ...marker, atMs: 3500 }]);
  });
});
