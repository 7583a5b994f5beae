// Delegations stored before the foreword named each country's national standards body get the body the
// committee's two countries have (server/delegations/service.ts, initialDelegations); a delegation that
// already has one, or that the administrator added, is left as it is. Idempotent.
import type { mongo } from 'mongoose';
import { initialDelegations } from '../../delegations/service.js';
import type { Migration } from './migration.js';

type Db = mongo.Db;

export const standardsBodies: Migration = {
  id: '2026-12-standards-bodies',
  async up(db: Db) {
    let changed = 0;
    for (const d of initialDelegations) {
      const r = await db.collection('delegations').updateOne({ code: d.code, standardsBody: { $exists: false } }, { $set: { standardsBody: d.standardsBody } });
      changed += r.modifiedCount;
    }
    return changed;
  },
};
