// Indexes that a wider declaration on a model has replaced: the start-up builds the new ones
// (syncAllIndexes) before the migrations run, and this drops the old ones, which would only slow writes.
import type { mongo } from 'mongoose';
import type { Migration } from './migration.js';

type Db = mongo.Db;

export const REPLACED_INDEXES: readonly { collection: string; index: string; by: string }[] = [
  { collection: 'comments', index: 'document_1_round_1_delegation_1_status_1', by: 'document_1_round_1_delegation_1_status_1_seq_1' },
  { collection: 'missedreactions', index: 'attempts_1_lastTriedAt_1', by: 'at_1_attempts_1' },
];

/** The index, or its whole collection, is not there: nothing to drop (a new database, or a second run). */
function isAbsent(err: unknown): boolean {
  const e = err as { code?: number; codeName?: string; message?: string };
  return e.code === 27 || e.code === 26 || /index not found|ns not found|can't find index/i.test(e.message ?? '');
}

export const replacedIndexes: Migration = {
  id: '2026-12-replaced-indexes',
  async up(db: Db) {
    let dropped = 0;
    for (const { collection, index } of REPLACED_INDEXES) {
      try {
        await db.collection(collection).dropIndex(index);
        dropped++;
      } catch (err) {
        if (!isAbsent(err)) throw err;
      }
    }
    return dropped;
  },
};
