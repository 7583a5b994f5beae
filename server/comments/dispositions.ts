import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, InvalidTransition } from '../errors.js';
import type { DocumentRecord } from '../documents/index.js';
import { listRevisions } from '../documents/index.js';
import type { FactProvider } from '../lifecycle/index.js';
import { Comment, decisionsNeedingReason, type CommentRecord, type Decision } from './model.js';
import { releasedCommentsChanged } from './summary-order.js';
import { getVisibleComment } from './service.js';

export interface DispositionInput {
  decision: Decision;
  reason?: string;
  observation?: string;
  appliedInRevision?: number;
  /** The decision was taken at a committee meeting (server/meetings): its id and day. */
  meeting?: { id: string; day: string };
}

/** The stage a disposition may be given in: the comment period and the resolution of comments. */
function checkDisposable(doc: DocumentRecord): void {
  if (doc.state !== 'comment' && doc.state !== 'resolution') throw new InvalidTransition('comments.dispositionClosed');
}

/**
 * What a disposition must say whatever comment it is given to: a reason where the decision needs one, a
 * revision that exists. One and several comments are checked by this same rule (docs/answers.md, "Bulk").
 */
async function checkInput(doc: DocumentRecord, input: DispositionInput): Promise<void> {
  if (decisionsNeedingReason.includes(input.decision) && !input.reason?.trim()) {
    throw new InvalidInput('comments.reasonRequired', {}, { reason: 'comments.reasonRequired' });
  }
  if (input.appliedInRevision !== undefined) {
    const numbers = (await listRevisions(doc)).map((r) => r.number);
    if (!numbers.includes(input.appliedInRevision)) throw new InvalidInput('comments.unknownRevision', {}, { appliedInRevision: 'comments.unknownRevision' });
  }
}

/** Records the disposition on one comment already checked, keeping the one it replaces in the history. */
async function writeDisposition(actor: CurrentUser, comment: CommentRecord, input: DispositionInput, now: Date): Promise<void> {
  const earlier = comment.disposition ? { $push: { earlierDispositions: comment.disposition } } : {};
  // A change applied from the comment's page stays recorded whatever the disposition says later: the
  // revision holds it (docs/applying-changes.md).
  const before = comment.disposition;
  const applied = before?.appliedClauseKey
    ? { appliedInRevision: before.appliedInRevision ?? null, appliedClauseKey: before.appliedClauseKey, appliedAt: before.appliedAt ?? null, appliedBy: before.appliedBy ?? null, appliedByName: before.appliedByName ?? null }
    : { appliedInRevision: input.appliedInRevision ?? null, appliedClauseKey: null };
  await Comment.updateOne(
    { _id: comment._id, status: 'released' },
    {
      ...earlier,
      $set: {
        disposition: {
          decision: input.decision,
          reason: input.reason?.trim() || undefined,
          observation: input.observation?.trim() || undefined,
          ...applied,
          meeting: input.meeting ? { id: new mongoose.Types.ObjectId(input.meeting.id), day: input.meeting.day } : null,
          by: new mongoose.Types.ObjectId(actor.id),
          byName: actor.name,
          at: now,
        },
      },
    },
  );
}

/** The secretariat answers a released comment; rejected and partially accepted ones must say why. */
export async function setDisposition(actor: CurrentUser, commentId: string, input: DispositionInput, now: Date): Promise<void> {
  if (actor.role !== 'secretariat') throw new Forbidden('errors.forbidden');
  const { comment, doc } = await getVisibleComment(actor, commentId);
  if (comment.status !== 'released') throw new Conflict('comments.notReleased');
  checkDisposable(doc);
  await checkInput(doc, input);
  await writeDisposition(actor, comment, input, now);
  await releasedCommentsChanged(comment.document, 'decided');
}

/**
 * One comment chosen for a bulk disposition, with the disposition the secretariat saw on it when choosing:
 * the time of that disposition, or null for none. Another given since makes the choice stale.
 */
export interface BulkChoice {
  id: string;
  /** Left out (the API may): the comment is taken whatever disposition it has now. */
  seen?: Date | null;
}

/** A comment of a bulk disposition that cannot take it, and why (a message key). */
export interface BulkFailure {
  id: string;
  number: string | null;
  key: string;
}

/** A bulk disposition refused: nothing was changed; `failures` names each comment at fault and why. */
export class BulkRefused extends Conflict {
  constructor(readonly failures: BulkFailure[]) {
    super('comments.bulkRefused', { count: failures.length }, Object.fromEntries(failures.map((f) => [f.id, f.key])));
  }
}

export const BULK_LIMIT = 500;

/**
 * Several released comments of one document get the same disposition (docs/answers.md, "Bulk
 * dispositions"): the same rule as one (checkInput), and all or nothing — if any comment cannot take it
 * (not of this document's current round, not released, disposed by someone else since it was chosen), none is changed.
 */
export async function setDispositions(actor: CurrentUser, doc: DocumentRecord, choices: readonly BulkChoice[], input: DispositionInput, now: Date): Promise<number> {
  if (actor.role !== 'secretariat') throw new Forbidden('errors.forbidden');
  checkDisposable(doc);
  await checkInput(doc, input);
  const unique = [...new Map(choices.map((c) => [c.id, c])).values()];
  if (unique.length === 0) throw new InvalidInput('comments.bulkChooseSome', {}, { ids: 'comments.bulkChooseSome' });
  if (unique.length > BULK_LIMIT) throw new InvalidInput('comments.bulkTooMany', { max: BULK_LIMIT }, { ids: 'comments.bulkTooMany' });
  // The comments of the document's current round, by id: one read of an indexed range (document, round).
  const found = await Comment.find({ document: doc._id, round: doc.round }).select({ status: 1, number: 1, disposition: 1 }).lean<CommentRecord[]>();
  const byId = new Map(found.map((c) => [String(c._id), c]));
  const failures: BulkFailure[] = [];
  for (const choice of unique) {
    const c = byId.get(choice.id);
    // Another document's (or round's) comment, or another delegation's unreleased one, is simply not found.
    if (!c || c.status !== 'released') failures.push({ id: choice.id, number: c?.number ?? null, key: c && c.status !== 'internal' ? 'comments.notReleased' : 'comments.notFound' });
    else if (choice.seen !== undefined && (c.disposition?.at?.getTime() ?? null) !== (choice.seen?.getTime() ?? null)) failures.push({ id: choice.id, number: c.number ?? null, key: 'comments.bulkStale' });
  }
  if (failures.length) throw new BulkRefused(failures);
  try {
    for (const choice of unique) await writeDisposition(actor, byId.get(choice.id)!, input, now);
  } finally {
    await releasedCommentsChanged(doc._id, 'decided');
  }
  return unique.length;
}

const openFilter = (doc: DocumentRecord): Record<string, unknown> => ({ document: doc._id, round: doc.round, status: 'released', disposition: null });

/** The comments feature's facts for the `everyCommentDisposed` guard (server/lifecycle/facts.ts). */
export const commentFacts: FactProvider = {
  async facts(doc) {
    return { openComments: doc.round > 0 ? await Comment.countDocuments(openFilter(doc)) : 0 };
  },
  async blockers(_guard, doc) {
    const open = await Comment.find(openFilter(doc)).select({ number: 1, seq: 1, delegation: 1 }).sort({ delegation: 1, seq: 1 }).lean();
    return open.map((c) => ({ label: String(c.number), href: `/documents/${doc._id}/comments/${c._id}` }));
  },
};

/** A comment referred to a meeting, as an agenda shows it. */
export interface ReferredComment {
  id: string;
  document: string;
  round: number;
  /** The circulated revision the comment was written on. */
  revision: number;
  number: string | null;
  delegation: string;
  clauseKey: string;
  type: string;
  text: string;
  proposedChange?: string;
  referredAt: Date;
}

const referredOf = (c: CommentRecord): ReferredComment => ({
  id: String(c._id), document: String(c.document), round: c.round, revision: c.revision, number: c.number ?? null, delegation: c.delegation, clauseKey: c.clauseKey,
  type: c.type, text: c.text, proposedChange: c.proposedChange, referredAt: c.disposition!.at,
});

/**
 * The released comments whose disposition is «вынесено на обсуждение» (referred to a meeting) and that no
 * later disposition closed, oldest referral first: what a meeting's agenda is built from (docs/meetings.md).
 * The caller keeps those of each document's current round.
 */
export async function referredComments(limit = 500): Promise<ReferredComment[]> {
  const rows = await Comment.find({ 'disposition.decision': 'referred', status: 'released' })
    .select({ document: 1, round: 1, revision: 1, number: 1, delegation: 1, clauseKey: 1, type: 1, text: 1, proposedChange: 1, disposition: 1, order: 1 })
    .limit(limit)
    .lean<(CommentRecord & { order?: string })[]>();
  // By document, then in the summary's order (clause, then anchor); sorted here, there are few.
  rows.sort((a, b) => String(a.document).localeCompare(String(b.document)) || (a.order ?? '').localeCompare(b.order ?? '') || String(a._id).localeCompare(String(b._id)));
  return rows.map(referredOf);
}

/** One released comment as an agenda item shows it, whatever its disposition now; null if there is none. */
export async function commentForAgenda(commentId: string): Promise<(ReferredComment & { decision: Decision | null }) | null> {
  if (!mongoose.isValidObjectId(commentId)) return null;
  const c = await Comment.findOne({ _id: commentId, status: 'released' }).select({ document: 1, round: 1, revision: 1, number: 1, delegation: 1, clauseKey: 1, type: 1, text: 1, proposedChange: 1, disposition: 1 }).lean<CommentRecord>();
  if (!c) return null;
  return { ...referredOf({ ...c, disposition: c.disposition ?? ({ at: c.createdAt } as CommentRecord['disposition']) }), decision: c.disposition?.decision ?? null };
}
