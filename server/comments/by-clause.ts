// The comments beside a document's text: for each clause, how many comments this person may read there
// (the released ones of the round, and the own delegation's unreleased ones), and whether they may add one.
import type { CurrentUser } from '../auth/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { Comment } from './model.js';
import { positionReleased } from './service.js';

export interface ClauseComments {
  /** The person may write a comment now (a delegate, the period open, the position not yet released). */
  canComment: boolean;
  /** Clause key → the comments of the current round this person may read on it. */
  counts: Map<string, number>;
}

const committeeRoles = ['administrator', 'secretariat', 'head', 'member'];

export async function clauseComments(actor: CurrentUser | undefined, doc: DocumentRecord, now: Date): Promise<ClauseComments | undefined> {
  if (!actor || !committeeRoles.includes(actor.role) || doc.round === 0) return undefined;
  const delegate = (actor.role === 'head' || actor.role === 'member') && !!actor.delegationCode;
  const open = doc.state === 'comment' && !!doc.commentPeriod && doc.commentPeriod.closesAt.getTime() > now.getTime();
  const seen: Record<string, unknown>[] = [{ status: 'released' }];
  if (delegate) seen.push({ status: 'internal', delegation: actor.delegationCode });
  const rows = await Comment.aggregate<{ _id: string; n: number }>([
    { $match: { document: doc._id, round: doc.round, $or: seen } },
    { $group: { _id: '$clauseKey', n: { $sum: 1 } } },
  ]);
  return { canComment: delegate && open && !positionReleased(doc, actor.delegationCode!), counts: new Map(rows.map((r) => [r._id, r.n])) };
}
