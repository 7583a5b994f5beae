// Changes to how data is stored, applied once per database at start-up, in order. Each is idempotent
// (a crash half-way is finished by the next start) and recorded in the `migrations` collection when done.
import type { mongo } from 'mongoose';

type Db = mongo.Db;
import { daysAsText } from './days-as-text.js';
import { pagedListIndexes, replacedIndexes } from './replaced-indexes.js';
import { commentOrder } from './comment-order.js';
import { standardsBodies } from './standards-bodies.js';
import { editionFiles } from './edition-files.js';
import { releasedPositions } from './released-positions.js';
import { peopleSearchWords } from './people-search-words.js';
import type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [daysAsText, replacedIndexes, commentOrder, standardsBodies, editionFiles, releasedPositions, pagedListIndexes, peopleSearchWords];

export async function runMigrations(db: Db, list: readonly Migration[] = migrations, log: (line: string) => void = () => {}): Promise<string[]> {
  const done = db.collection<{ _id: string; at: Date; changed: number }>('migrations');
  const applied: string[] = [];
  for (const m of list) {
    if (await done.findOne({ _id: m.id }, { projection: { _id: 1 } })) continue;
    const changed = await m.up(db);
    await done.updateOne({ _id: m.id }, { $setOnInsert: { at: new Date(), changed } }, { upsert: true });
    if (changed) log(`migration ${m.id}: ${changed} records rewritten`);
    applied.push(m.id);
  }
  return applied;
}
