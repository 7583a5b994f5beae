// What follows a committed move (its `after` effects and the listeners) is marked on the document in the
// same update as the move, and unmarked once it has run. A process that dies in between (or a use-case step
// that throws after the commit) leaves the mark; the scheduled job finishes marks older than GRACE_MS, so a
// publication whose process died still supersedes its predecessor and reaches the catalogue. Everything
// that follows a move is idempotent, so finishing it twice (two instances, a retried use-case) is harmless.
import { randomUUID } from 'node:crypto';
import { mongoose } from '../db/mongoose.js';
import { DocumentModel, documentFields, type DocumentRecord } from '../documents/model.js';
import type { DocumentState } from './table.js';

export interface PendingReaction {
  id: string;
  move: string;
  from: DocumentState;
  at: Date;
}

/** How long a mark may stay before the job takes it for a move whose process is gone. */
export const GRACE_MS = 60_000;

export function pendingReaction(move: string, from: DocumentState, at: Date): PendingReaction {
  return { id: randomUUID(), move, from, at };
}

export async function reactionDone(document: DocumentRecord['_id'], id: string): Promise<void> {
  await DocumentModel.updateOne({ _id: document }, { $pull: { pendingReactions: { id } } });
}

/** Documents with a mark older than GRACE_MS at `now`, each with those marks. */
export async function overdueReactions(now: Date): Promise<{ doc: DocumentRecord; reactions: PendingReaction[] }[]> {
  const before = new Date(now.getTime() - GRACE_MS);
  const docs = await DocumentModel.find({ 'pendingReactions.at': mongoose.trusted({ $lt: before }) })
    .select({ ...documentFields, pendingReactions: 1 })
    .limit(100)
    .lean<(DocumentRecord & { pendingReactions: PendingReaction[] })[]>();
  return docs.map(({ pendingReactions, ...doc }) => ({ doc: doc as DocumentRecord, reactions: pendingReactions.filter((r) => r.at.getTime() < before.getTime()) }));
}
