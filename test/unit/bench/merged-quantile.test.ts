import assert from 'node:assert/strict';
import { mergedQuantile } from '../../bench/tools.js';

/** A turn's percentiles as autocannon gives them, every one from p0_001 to p99_999, rising linearly from `low` to `high`. */
function turn(requests: number, low: number, high: number, max = high) {
  const keys = ['p0_001', 'p0_01', 'p0_1', 'p1', 'p2_5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p97_5', 'p99', 'p99_9', 'p99_99', 'p99_999'];
  const latency: Record<string, number> = { max };
  for (const k of keys) latency[k] = Math.round(low + ((high - low) * Number(k.slice(1).replace('_', '.'))) / 100);
  return { requests, latency };
}

describe('bench tools: latency of several turns together', () => {
  it('gives a single turn its own percentiles', () => {
    const t = turn(1000, 10, 110);
    assert.equal(mergedQuantile([t], 0.5), t.latency.p50);
    assert.equal(mergedQuantile([t], 0.99), t.latency.p99);
  });

  it('weighs each turn by its answers: one slow turn of three sets the p99 only as far as its share reaches', () => {
    const fast = turn(1000, 5, 20, 25);
    const slow = turn(1000, 50, 250, 300);
    // Two fast turns and a slow one: 1 % of all answers is 3 % of the slow turn's, its p97_5 and above.
    const p99 = mergedQuantile([fast, fast, slow], 0.99);
    assert.ok(p99 >= slow.latency.p97_5! && p99 <= slow.latency.p99!, String(p99));
    assert.ok(p99 < Math.max(fast.latency.p99!, slow.latency.p99!), 'less than the worst turn\'s p99');
    // Half of all answers are within the fast turns' times.
    assert.ok(mergedQuantile([fast, fast, slow], 0.5) <= fast.latency.max!);
  });

  it('errs on the slow side, never the fast, and has no figure without answers', () => {
    const a = turn(500, 10, 30);
    const b = turn(1500, 10, 30);
    assert.ok(mergedQuantile([a, b], 0.99) >= a.latency.p99!);
    assert.ok(Number.isNaN(mergedQuantile([turn(0, 1, 2)], 0.5)));
  });
});
