// Indexes that a wider declaration on a model has replaced: the start-up builds the new ones
// (syncAllIndexes) before the migrations run, and this drops the old ones, which would only slow writes.
import type { mongo } from 'mongoose';
import type { Migration } from './migration.js';

type Db = mongo.Db;

export interface ReplacedIndex {
  collection: string;
  index: string;
  by: string;
}

export const REPLACED_INDEXES: readonly ReplacedIndex[] = [
  { collection: 'comments', index: 'document_1_round_1_delegation_1_status_1', by: 'document_1_round_1_delegation_1_status_1_seq_1' },
  { collection: 'missedreactions', index: 'attempts_1_lastTriedAt_1', by: 'at_1_attempts_1' },
];

/**
 * Replaced when the lists came to be read a page at a time: each sort gained `_id`, so that rows of the same
 * name or time keep one order from page to page (server/users/list.ts, server/documents/service.ts).
 */
export const PAGED_LIST_INDEXES: readonly ReplacedIndex[] = [
  { collection: 'users', index: 'name_1', by: 'name_1__id_1' },
  { collection: 'users', index: 'delegation_1_name_1', by: 'delegation_1_name_1__id_1' },
  { collection: 'users', index: 'role_1_delegation_1', by: 'role_1_delegation_1_name_1__id_1' },
  { collection: 'documents', index: 'updatedAt_-1', by: 'updatedAt_-1__id_-1' },
  { collection: 'documents', index: 'state_1_updatedAt_-1', by: 'state_1_updatedAt_-1__id_-1' },
];

/** The index, or its whole collection, is not there: nothing to drop (a new database, or a second run). */
function isAbsent(err: unknown): boolean {
  const e = err as { code?: number; codeName?: string; message?: string };
  return e.code === 27 || e.code === 26 || /index not found|ns not found|can't find index/i.test(e.message ?? '');
}

/** The migration that drops these replaced indexes, once per database. */
function dropping(id: string, list: readonly ReplacedIndex[]): Migration {
  return {
    id,
    async up(db: Db) {
      let dropped = 0;
      for (const { collection, index } of list) {
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
}

export const replacedIndexes = dropping('2026-12-replaced-indexes', REPLACED_INDEXES);
export const pagedListIndexes = dropping('2026-12-paged-list-indexes', PAGED_LIST_INDEXES);
