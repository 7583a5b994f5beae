// The order of a round's summary, kept in memory: the ids of the released comments a filter selects, in
// summary order. A page of the summary then reads its 100 comments by id and counts them by the list's
// length, and an export reads them by id a batch at a time — instead of every page and every export asking
// the database to count, sort and skip through the whole round (docs/engine.md: the embedded engine scans
// and sorts every comment of the collection for each such query, and holds the collection meanwhile).
//
// A list is read again when the document's comments changed (the stored counter in model.ts, one point read
// per use, so that every instance sees a change at once), and at the latest after MAX_AGE_MS.
import { mongoose } from '../db/mongoose.js';
import { Comment, CommentsVersion } from './model.js';

type ObjectId = mongoose.Types.ObjectId;

/** Lists kept (each 12 bytes a comment: 240 KB for a round of 20 000), least recently used dropped first. */
const MAX_LISTS = 32;
/**
 * A list is read again after this long even if the counter did not move: it bounds how long a change whose
 * process stopped between its write and its bump of the counter could go unseen.
 */
const MAX_AGE_MS = 60_000;
const ID_BYTES = 12;

export interface SummaryOrder {
  /** how many comments the filter selects */
  readonly count: number;
  /** the ids of the comments from `from` (inclusive) to `to` (exclusive), in summary order */
  ids(from: number, to: number): ObjectId[];
}

interface Held {
  version: number;
  /** performance.now() when read */
  at: number;
  ids: Buffer;
}

const held = new Map<string, Held>();
const reading = new Map<string, Promise<Held>>();

async function versionOf(documentId: ObjectId): Promise<number> {
  const v = await CommentsVersion.findById(documentId).select({ version: 1 }).lean<{ version: number }>();
  return v?.version ?? 0;
}

/**
 * Says that the document's released comments changed (one was released, disposed, answered…): every
 * instance reads the summary's order again at its next request. Called after the change is written.
 */
export async function releasedCommentsChanged(documentId: ObjectId | string): Promise<void> {
  const _id = new mongoose.Types.ObjectId(String(documentId));
  const bump = () => CommentsVersion.updateOne({ _id }, { $inc: { version: 1 } }, { upsert: true });
  try {
    await bump();
  } catch (err) {
    // Two first-ever bumps at once: one upsert inserts, the other meets the key and simply retries.
    if ((err as { code?: number }).code !== 11000) throw err;
    await bump();
  }
}

async function read(query: Record<string, unknown>, sort: Record<string, 1 | -1>, version: number): Promise<Held> {
  const found = await Comment.collection.find<{ _id: ObjectId }>(query, { projection: { _id: 1 }, sort }).toArray();
  const ids = Buffer.allocUnsafe(found.length * ID_BYTES);
  found.forEach((c, i) => ids.set(c._id.id, i * ID_BYTES));
  return { version, at: performance.now(), ids };
}

function viewOf(ids: Buffer): SummaryOrder {
  const count = ids.length / ID_BYTES;
  return {
    count,
    ids(from, to) {
      const out: ObjectId[] = [];
      for (let i = Math.max(0, from); i < Math.min(to, count); i++) out.push(new mongoose.Types.ObjectId(Uint8Array.prototype.slice.call(ids, i * ID_BYTES, (i + 1) * ID_BYTES)));
      return out;
    },
  };
}

/**
 * The comments `query` selects (a summary's filter: one document, one round, released), in `sort` order, as
 * ids — from memory while the document's comments have not changed. Requests that find the list missing at
 * the same moment share one read.
 */
export async function summaryOrder(documentId: ObjectId, query: Record<string, unknown>, sort: Record<string, 1 | -1>): Promise<SummaryOrder> {
  const version = await versionOf(documentId);
  const key = JSON.stringify([query, sort]);
  let list = held.get(key);
  if (list && list.version === version && performance.now() - list.at < MAX_AGE_MS) {
    held.delete(key);
    held.set(key, list); // most recently used last
    return viewOf(list.ids);
  }
  const readKey = `${version}:${key}`;
  let pending = reading.get(readKey);
  if (!pending) {
    pending = read(query, sort, version).finally(() => reading.delete(readKey));
    reading.set(readKey, pending);
  }
  list = await pending;
  const kept = held.get(key);
  // Of two lists read at once under different counters, the later one stays.
  if (!kept || kept.version < list.version || (kept.version === list.version && kept.at <= list.at)) {
    held.delete(key);
    held.set(key, list);
    if (held.size > MAX_LISTS) held.delete(held.keys().next().value!);
  }
  return viewOf(list.ids);
}
