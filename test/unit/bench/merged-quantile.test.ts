import assert from 'node:assert/strict';
import { mergedQuantile } from '../../bench/tools.js';

/** A turn's percentiles as autocannon gives them, every one from p0_001 to p99_999, rising linearly from `low` to `high`. */
function turn(requests: number, low: number, high: number, max = high) {
  const keys = ['p0_001', 'p0_01', 'p0_1', 'p1', 'p2_5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p97_5', 'p99', 'p99_9', 'p99_99', 'p99_999'];
  const latency: Record<string, number> = { min: low, max };
  for (const k of keys) latency[k] = Math.round(low + ((high - low) * Number(k.slice(1).replace('_', '.'))) / 100);
  return { requests, latency };
}

describe('bench tools: latency of several turns together', () => {
  it('gives a single turn, or turns alike, their own percentiles', () => {
    const t = turn(1000, 10, 110);
    for (const turns of [[t], [t, t, t]]) {
      assert.ok(Math.abs(mergedQuantile(turns, 0.5) - t.latency.p50!) <= 1);
      assert.ok(Math.abs(mergedQuantile(turns, 0.99) - t.latency.p99!) <= 1);
    }
  });

  it('weighs each turn by its answers: one slow turn of three sets the p99 only as far as its share reaches', () => {
    const fast = turn(1000, 5, 20, 25);
    const slow = turn(1000, 50, 250, 300);
    // Two fast turns and a slow one: 1 % of all answers is 3 % of the slow turn's, between its p90 and p97_5.
    const p99 = mergedQuantile([fast, fast, slow], 0.99);
    assert.ok(p99 >= slow.latency.p90! && p99 <= slow.latency.p97_5!, String(p99));
    assert.ok(p99 < Math.max(fast.latency.p99!, slow.latency.p99!), 'less than the worst turn\'s p99');
    // Half of all answers are within the fast turns' times.
    assert.ok(mergedQuantile([fast, fast, slow], 0.5) <= fast.latency.max!);
  });

  it('counts a turn by its answers, and has no figure without any', () => {
    const few = turn(10, 100, 300);
    const many = turn(10_000, 10, 30);
    assert.ok(mergedQuantile([few, many], 0.99) <= many.latency.p99_9!, 'ten slow answers of 10 010 move the p99 little');
    assert.ok(Number.isNaN(mergedQuantile([turn(0, 1, 2)], 0.5)));
  });
});
