// Documents stored before a released national position was recorded on them (`releasedPositions`, which a
// new comment is checked against: server/comments/service.ts) get one entry per position released on them,
// from the positions collection. Idempotent: a position already recorded is not recorded again.
import type { mongo } from 'mongoose';
import type { Migration } from './migration.js';

type Db = mongo.Db;

export const releasedPositions: Migration = {
  id: '2026-12-released-positions',
  async up(db: Db) {
    const documents = db.collection<{ _id: mongo.ObjectId; releasedPositions?: { round: number; delegation: string; at: Date }[] }>('documents');
    let changed = 0;
    const positions = db.collection<{ document: mongo.ObjectId; round: number; delegation: string; releasedAt: Date }>('nationalpositions').find({}, { projection: { document: 1, round: 1, delegation: 1, releasedAt: 1 } });
    for await (const p of positions) {
      const r = await documents.updateOne(
        { _id: p.document, releasedPositions: { $not: { $elemMatch: { round: p.round, delegation: p.delegation } } } },
        { $push: { releasedPositions: { round: p.round, delegation: p.delegation, at: p.releasedAt } } },
      );
      changed += r.modifiedCount;
    }
    return changed;
  },
};
