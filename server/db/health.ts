import { setTimeout as sleep } from 'node:timers/promises';
import { databaseIsConnected } from './connect.js';
import { mongoose } from './mongoose.js';

export interface DatabaseHealth {
  /** true when the database answered a ping lately; never takes longer than the time limit */
  isUp(): Promise<boolean>;
}

/** When the driver last found the server gone (a failed check, a cleared connection pool), on any client. */
let lastFailureAt = -Infinity;
const watched = new WeakSet<object>();

/** Follows the driver's failures, once per client however many health checks are made around it. */
function watchFailures(): void {
  const client = mongoose.connection.getClient?.();
  if (!client || watched.has(client)) return;
  watched.add(client);
  const failed = () => (lastFailureAt = performance.now());
  client.on('serverHeartbeatFailed', failed);
  client.on('connectionPoolCleared', failed);
}

/**
 * What /healthz reports about the database (docs/engine.md): "down" at once while the driver has no
 * server; otherwise the answer of a ping, bounded by `timeoutMs` and kept for `cacheMs` so that
 * frequent health checks cost one ping. A kept answer is dropped as soon as the driver finds the server
 * gone, so that "up" is never repeated from before a death. A ping that outlasts the limit is not
 * repeated: later checks say "down" at once until it comes back (the database is stalled, not slow to
 * answer one request).
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
      watchFailures();
      const now = performance.now();
      if (last && now - last.at < cacheMs && last.at > lastFailureAt) return last.up;
      if (!pending) {
        const asked = now;
        const answer = ping().then((up) => {
          // Stamped with when it was asked: a failure seen while the ping ran makes it stale at once.
          last = { up, at: asked };
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

export interface DatabaseReadiness {
  /** Ready to serve: the database answers, and every index the models declare is built (checked until it is). */
  check(): Promise<{ ready: boolean; parts: { database: 'up' | 'down'; indexes: 'built' | 'missing' | 'unknown' } }>;
}

/** What /readyz reports, for orchestrators that send traffic only to a ready instance. */
export function databaseReadiness(health: DatabaseHealth): DatabaseReadiness {
  let indexesBuilt = false;
  const missingIndex = async (): Promise<boolean> => {
    for (const model of Object.values(mongoose.models)) {
      const declared = model.schema.indexes().map(([key]) => JSON.stringify(key));
      if (!declared.length) continue;
      const present = new Set((await model.collection.listIndexes().toArray().catch(() => [])).map((i) => JSON.stringify(i.key)));
      if (declared.some((k) => !present.has(k))) return true;
    }
    return false;
  };
  return {
    async check() {
      if (!(await health.isUp())) return { ready: false, parts: { database: 'down', indexes: indexesBuilt ? 'built' : 'unknown' } };
      // Once built, the indexes stay: the listing is not repeated on every probe.
      if (!indexesBuilt) indexesBuilt = !(await missingIndex());
      return { ready: indexesBuilt, parts: { database: 'up', indexes: indexesBuilt ? 'built' : 'missing' } };
    },
  };
}
