// Comments written before they carried their place in the summary get it (`order`: server/comments/order.ts):
// the clause's place in the revision commented on, then the anchor. Idempotent: only comments without an
// order are touched, one revision at a time.
import type { mongo } from 'mongoose';
import { orderKey } from '../../comments/index.js';
import type { Migration } from './migration.js';

type Db = mongo.Db;

export const commentOrder: Migration = {
  id: '2026-12-comment-order',
  async up(db: Db) {
    const comments = db.collection('comments');
    const pairs = await comments.aggregate<{ _id: { document: mongo.ObjectId; revision: number } }>([{ $match: { order: { $exists: false } } }, { $group: { _id: { document: '$document', revision: '$revision' } } }]).toArray();
    let changed = 0;
    for (const { _id: { document, revision } } of pairs) {
      const rev = await db.collection('revisions').findOne({ document, number: revision }, { projection: { 'clauses.key': 1 } });
      const index = new Map(((rev?.clauses ?? []) as { key: string }[]).map((c, i) => [c.key, i]));
      const ops = [];
      for await (const c of comments.find({ document, revision, order: { $exists: false } }, { projection: { clauseKey: 1, anchor: 1 } })) {
        ops.push({ updateOne: { filter: { _id: c._id, order: { $exists: false } }, update: { $set: { order: orderKey(index.get(c.clauseKey as string), c.anchor as { ref?: string } | null) } } } });
      }
      if (ops.length) changed += (await comments.bulkWrite(ops, { ordered: false })).modifiedCount;
    }
    return changed;
  },
};
