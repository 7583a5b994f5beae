// The order of a round's summary, kept in memory: the ids of the released comments a filter selects, in
// summary order. A page of the summary then reads its 100 comments by id and counts them by the list's
// length, and an export reads them by id a batch at a time — instead of every page and every export asking
// the database to count, sort and skip through the whole round (docs/engine.md: the embedded engine scans
// and sorts every comment of the collection for each such query, and holds the collection meanwhile).
//
// A list is read again when the document's comments changed in a way that could change it (the stored
// counters in model.ts, one point read per use, so that every instance sees a change at once): a release
// changes every list of the round; a disposition or an answer only the lists filtered by them, so that
// disposing comments one by one does not make the whole summary be read again each time. At the latest a
// list is read again after MAX_AGE_MS.
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
  stamp: string;
  /** performance.now() when read */
  at: number;
  ids: Buffer;
}

const held = new Map<string, Held>();
const reading = new Map<string, Promise<Held>>();

/**
 * What changed: `released`, which comments are released (a release, a comment the system adds); `decided`,
 * a released comment's disposition or answer — what the summary's filters besides delegation, type and
 * clause select by.
 */
export type CommentsChange = 'released' | 'decided';

/** The counters a list read under `byDecision` filters depends on, as one stamp. */
async function stampOf(documentId: ObjectId, byDecision: boolean): Promise<string> {
  const v = await CommentsVersion.findById(documentId).select({ released: 1, decided: 1 }).lean<{ released?: number; decided?: number }>();
  return byDecision ? `${v?.released ?? 0}.${v?.decided ?? 0}` : `${v?.released ?? 0}`;
}

/**
 * Says that the document's released comments changed: every instance reads again, at its next request, the
 * summary's order of the lists that this change could have changed. Called after the change is written.
 */
export async function releasedCommentsChanged(documentId: ObjectId | string, change: CommentsChange): Promise<void> {
  const _id = new mongoose.Types.ObjectId(String(documentId));
  const bump = () => CommentsVersion.updateOne({ _id }, { $inc: { [change]: 1 } }, { upsert: true });
  try {
    await bump();
  } catch (err) {
    // Two first-ever bumps at once: one upsert inserts, the other meets the key and simply retries.
    if ((err as { code?: number }).code !== 11000) throw err;
    await bump();
  }
}

async function read(query: Record<string, unknown>, sort: Record<string, 1 | -1>, stamp: string): Promise<Held> {
  const found = await Comment.collection.find<{ _id: ObjectId }>(query, { projection: { _id: 1 }, sort }).toArray();
  const ids = Buffer.allocUnsafe(found.length * ID_BYTES);
  found.forEach((c, i) => ids.set(c._id.id, i * ID_BYTES));
  return { stamp, at: performance.now(), ids };
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
 * ids — from memory while the document's comments have not changed in a way that could change them
 * (`byDecision`: the filter selects by disposition or answer). Requests that find the list missing at the
 * same moment share one read.
 */
export async function summaryOrder(documentId: ObjectId, query: Record<string, unknown>, sort: Record<string, 1 | -1>, byDecision: boolean): Promise<SummaryOrder> {
  const stamp = await stampOf(documentId, byDecision);
  const key = JSON.stringify([query, sort]);
  let list = held.get(key);
  if (list && list.stamp === stamp && performance.now() - list.at < MAX_AGE_MS) {
    held.delete(key);
    held.set(key, list); // most recently used last
    return viewOf(list.ids);
  }
  const readKey = `${stamp}:${key}`;
  let pending = reading.get(readKey);
  if (!pending) {
    pending = read(query, sort, stamp).finally(() => reading.delete(readKey));
    reading.set(readKey, pending);
  }
  list = await pending;
  // Of two lists read at once, the one read later stays (counters only grow, so it is never the older).
  const kept = held.get(key);
  if (!kept || kept.at <= list.at) {
    held.delete(key);
    held.set(key, list);
    if (held.size > MAX_LISTS) held.delete(held.keys().next().value!);
  }
  return viewOf(list.ids);
}
