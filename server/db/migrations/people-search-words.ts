// People stored before the people list could be searched get the words they are found by (searchWords:
// server/users/search-words.ts). Idempotent: only accounts without them are touched.
import type { mongo } from 'mongoose';
import { searchWordsOf } from '../../users/index.js';
import type { Migration } from './migration.js';

type Db = mongo.Db;

export const peopleSearchWords: Migration = {
  id: '2026-12-people-search-words',
  async up(db: Db) {
    const users = db.collection('users');
    let changed = 0;
    let ops: mongo.AnyBulkWriteOperation[] = [];
    const flush = async () => {
      if (ops.length) changed += (await users.bulkWrite(ops, { ordered: false })).modifiedCount;
      ops = [];
    };
    for await (const u of users.find({ searchWords: { $exists: false } }, { projection: { name: 1, email: 1 } })) {
      ops.push({ updateOne: { filter: { _id: u._id, searchWords: { $exists: false } }, update: { $set: { searchWords: searchWordsOf(String(u.name ?? ''), String(u.email ?? '')) } } } });
      if (ops.length === 500) await flush();
    }
    await flush();
    return changed;
  },
};
