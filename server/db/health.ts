import { setTimeout as sleep } from 'node:timers/promises';
import { databaseIsConnected } from './connect.js';
import { mongoose } from './mongoose.js';

export interface DatabaseHealth {
  /** true when the database answered a ping lately; never takes longer than the time limit */
  isUp(): Promise<boolean>;
}

/**
 * What /healthz reports about the database (docs/engine.md): "down" at once while the driver has no
 * server; otherwise the answer of a ping, bounded by `timeoutMs` and kept for `cacheMs` so that
 * frequent health checks cost one ping. A ping that outlasts the limit is not repeated: later checks
 * say "down" at once until it comes back (the database is stalled, not slow to answer one request).
 */
export function databaseHealth(opts: { timeoutMs?: number; cacheMs?: number } = {}): DatabaseHealth {
  const timeoutMs = opts.timeoutMs ?? 700;
  const cacheMs = opts.cacheMs ?? 1000;
  let last: { up: boolean; at: number } | undefined;
  let pending: { answer: Promise<boolean>; since: number } | undefined;

  const ping = (): Promise<boolean> => {
    const db = mongoose.connection.db;
    if (!db) return Promise.resolve(false);
    return db.command({ ping: 1 }).then(() => true, () => false);
  };

  return {
    async isUp() {
      if (!databaseIsConnected()) return false;
      const now = performance.now();
      if (last && now - last.at < cacheMs) return last.up;
      if (!pending) {
        const answer = ping().then((up) => {
          last = { up, at: performance.now() };
          pending = undefined;
          return up;
        });
        pending = { answer, since: now };
      }
      const left = pending.since + timeoutMs - now;
      if (left <= 0) return false;
      return Promise.race([pending.answer, sleep(left, false, { ref: false })]);
    },
  };
}
