// Committee days were first stored as Dates (the day's UTC midnight); they are now stored as the text
// «yyyy-mm-dd» (docs/time.md), so that a day can never be compared with an instant. This rewrites the
// days stored the old way: entry into force (documents and the designation register) and withdrawal.
import type { mongo } from 'mongoose';

type Db = mongo.Db;
import type { Migration } from './migration.js';

const asDay = (v: unknown): unknown => (v instanceof Date ? v.toISOString().slice(0, 10) : v);

interface StoredDocument {
  _id: unknown;
  publication?: { entryIntoForce?: Record<string, unknown> } | null;
  withdrawal?: { at?: unknown; date?: unknown; reason?: string; recordedAt?: unknown } | null;
  history?: { action: string; at: Date }[];
}

async function documents(db: Db): Promise<number> {
  const docs = db.collection<StoredDocument>('documents');
  let changed = 0;
  const found = docs.find({ $or: [{ publication: { $ne: null } }, { withdrawal: { $ne: null } }] }, { projection: { publication: 1, withdrawal: 1, history: 1 } });
  for await (const d of found) {
    const set: Record<string, unknown> = {};
    const eif = d.publication?.entryIntoForce;
    if (eif && Object.values(eif).some((v) => v instanceof Date)) {
      set['publication.entryIntoForce'] = Object.fromEntries(Object.entries(eif).map(([k, v]) => [k, asDay(v)]));
    }
    const w = d.withdrawal;
    if (w && w.at instanceof Date && w.date === undefined) {
      const recorded = d.history?.findLast((e) => e.action === 'withdraw')?.at ?? w.at;
      set.withdrawal = { date: asDay(w.at), reason: w.reason ?? '', recordedAt: recorded };
    }
    if (Object.keys(set).length === 0) continue;
    await docs.updateOne({ _id: d._id }, { $set: set });
    changed++;
  }
  return changed;
}

async function designations(db: Db): Promise<number> {
  const col = db.collection<{ _id: unknown; entryIntoForce?: { code: string; date: unknown }[] }>('designations');
  let changed = 0;
  for await (const r of col.find({}, { projection: { entryIntoForce: 1 } })) {
    if (!r.entryIntoForce?.some((e) => e.date instanceof Date)) continue;
    await col.updateOne({ _id: r._id }, { $set: { entryIntoForce: r.entryIntoForce.map((e) => ({ code: e.code, date: asDay(e.date) })) } });
    changed++;
  }
  return changed;
}

export const daysAsText: Migration = {
  id: '2026-12-days-as-text',
  async up(db) {
    return (await documents(db)) + (await designations(db));
  },
};
