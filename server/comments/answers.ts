// The commenter's answer (docs/answers.md): once the comment period of a round
// has closed, the secretariat's dispositions stand published, and each delegation's head answers them for
// the delegation's own comments — agreed, or not agreed with a reason — and may change the answer until the
// ballot opens. Every answer is kept (who, when); open disagreements are listed for the ballot decision
// and never block it.
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, InvalidTransition } from '../errors.js';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument } from '../documents/index.js';
import type { Locale } from '../i18n/index.js';
import { Comment, type Answer, type CommentRecord } from './model.js';
import { releasedCommentsChanged } from './summary-order.js';
import { summaryOfComments } from './queries.js';
import { getVisibleComment } from './service.js';

export const answerMessages = {
  headOnly: 'answers.headOnly',
  notYours: 'answers.notYourDelegation',
  notPublished: 'answers.notPublished',
  closed: 'answers.closed',
  noDisposition: 'answers.noDisposition',
  reasonRequired: 'answers.reasonRequired',
} as const;

export interface AnswerInput {
  agreed: boolean;
  /** Required when not agreed; dropped with an agreement. */
  reason?: string;
}

/**
 * Whether the answers of a round may be given now: the round's comment period has closed (the document is
 * in resolution of that round: the dispositions are published) and the ballot has not opened. A failed
 * ballot brings the document back to resolution, and with it the answers, since dispositions may change.
 */
export function answersOpen(doc: Pick<DocumentRecord, 'state' | 'round'>, round: number): 'open' | 'notPublished' | 'closed' {
  if (round !== doc.round) return 'closed';
  if (doc.state === 'comment') return 'notPublished';
  return doc.state === 'resolution' ? 'open' : 'closed';
}

function checkOpen(doc: DocumentRecord, round: number): void {
  const open = answersOpen(doc, round);
  if (open === 'notPublished') throw new InvalidTransition(answerMessages.notPublished);
  if (open === 'closed') throw new InvalidTransition(answerMessages.closed);
}

/** Only the head of the delegation that wrote the comments answers for it. */
function answeringDelegation(actor: CurrentUser): string {
  if (actor.role !== 'head' || !actor.delegationCode) throw new Forbidden(answerMessages.headOnly);
  return actor.delegationCode;
}

function answerOf(actor: CurrentUser, c: Pick<CommentRecord, 'disposition'>, input: AnswerInput, now: Date): Answer {
  return {
    agreed: input.agreed,
    reason: input.agreed ? null : input.reason!.trim(),
    by: new mongoose.Types.ObjectId(actor.id),
    byName: actor.name,
    at: now,
    dispositionAt: c.disposition?.at ?? null,
  };
}

const sameAnswer = (a: Answer | null | undefined, b: Answer) => !!a && a.agreed === b.agreed && (a.reason ?? null) === (b.reason ?? null) && String(a.dispositionAt ?? '') === String(b.dispositionAt ?? '');

/** Who may check: the head of the comment's own delegation; a head or member of the other is refused before anything else. */
export async function answerableComment(actor: CurrentUser, commentId: string) {
  const delegation = answeringDelegation(actor);
  const { comment, doc } = await getVisibleComment(actor, commentId);
  if (comment.delegation !== delegation) throw new Forbidden(answerMessages.notYours);
  return { comment, doc };
}

/**
 * The head records (or changes) the delegation's answer to one disposition. The same answer again (a
 * double click) changes nothing; any other is kept in the comment's answers, the last being the current.
 */
export async function answerDisposition(actor: CurrentUser, commentId: string, input: AnswerInput, now: Date): Promise<{ changed: boolean }> {
  const { comment, doc } = await answerableComment(actor, commentId);
  if (comment.status !== 'released') throw new Conflict(answerMessages.noDisposition);
  checkOpen(doc, comment.round);
  if (!comment.disposition) throw new Conflict(answerMessages.noDisposition);
  if (!input.agreed && !input.reason?.trim()) throw new InvalidInput(answerMessages.reasonRequired, {}, { reason: answerMessages.reasonRequired });
  const answer = answerOf(actor, comment, input, now);
  if (sameAnswer(comment.answer, answer)) return { changed: false };
  await Comment.updateOne({ _id: comment._id, status: 'released', round: comment.round }, { $set: { answer }, $push: { answers: answer } });
  await releasedCommentsChanged(comment.document, 'decided');
  return { changed: true };
}

/** "Agree to all remaining": every disposed comment of the delegation's round without an answer is agreed. Gives how many. */
export async function agreeToRemaining(actor: CurrentUser, docId: string, now: Date): Promise<number> {
  const delegation = answeringDelegation(actor);
  const doc = await getDocument(actor, docId);
  checkOpen(doc, doc.round);
  const remaining = await Comment.find({ document: doc._id, round: doc.round, delegation, status: 'released' })
    .select({ disposition: 1, answer: 1 })
    .lean<Pick<CommentRecord, '_id' | 'disposition' | 'answer'>[]>();
  let n = 0;
  try {
    for (const c of remaining) {
      if (!c.disposition || c.answer) continue;
      const answer = answerOf(actor, c, { agreed: true }, now);
      // Conditional on no answer yet: an answer typed meanwhile on its own form wins.
      const r = await Comment.updateOne({ _id: c._id, answer: null }, { $set: { answer }, $push: { answers: answer } });
      n += r.modifiedCount;
    }
  } finally {
    if (n) await releasedCommentsChanged(doc._id, 'decided');
  }
  return n;
}

/** Each answer of a comment, oldest first, as the pages show them. */
export async function answerHistory(commentId: mongoose.Types.ObjectId | string): Promise<Answer[]> {
  const c = await Comment.findById(commentId).select({ answers: 1 }).lean<Pick<CommentRecord, 'answers'>>();
  return c?.answers ?? [];
}

/** The answer page of a delegation: its released comments of the round with their dispositions and answers. */
export async function delegationAnswers(actor: CurrentUser, doc: DocumentRecord, locale: Locale) {
  if ((actor.role !== 'head' && actor.role !== 'member') || !actor.delegationCode) throw new Forbidden(answerMessages.headOnly);
  if (doc.round === 0) return { rows: [], open: 'notPublished' as const };
  const rows = await summaryOfComments(doc, { round: doc.round, delegation: actor.delegationCode }, locale, actor);
  return { rows, open: answersOpen(doc, doc.round) };
}

/**
 * Open disagreements of a round: the released comments whose delegation did not agree with the
 * disposition, labelled and in the summary's order. For the ballot decision; they never block the ballot.
 */
export async function openDisagreements(doc: DocumentRecord, round: number, locale: Locale, viewer?: CurrentUser) {
  if (round < 1) return [];
  return summaryOfComments(doc, { round, answer: 'disagreed' }, locale, viewer);
}

/**
 * How many disposed comments of each document's current round await the delegation's answer, for the
 * head's "what needs me". One aggregate over the documents asked for.
 */
export async function unansweredCountsOf(docs: readonly Pick<DocumentRecord, '_id' | 'round'>[], delegation: string): Promise<Map<string, number>> {
  if (!docs.length) return new Map();
  const rows = await Comment.aggregate<{ _id: { document: mongoose.Types.ObjectId; round: number }; n: number }>([
    { $match: { document: { $in: docs.map((d) => d._id) }, delegation, status: 'released', answer: null, disposition: { $ne: null } } },
    { $group: { _id: { document: '$document', round: '$round' }, n: { $sum: 1 } } },
  ]);
  const roundOf = new Map(docs.map((d) => [String(d._id), d.round]));
  return new Map(rows.filter((r) => roundOf.get(String(r._id.document)) === r._id.round).map((r) => [String(r._id.document), r.n]));
}

/** The answers recorded for each of a delegation's comments of a round, newest first, by comment id. */
export async function answerHistoriesOf(doc: Pick<DocumentRecord, '_id'>, round: number, delegation: string): Promise<Map<string, Answer[]>> {
  const rows = await Comment.find({ document: doc._id, round, delegation, status: 'released' }).select({ answers: 1 }).lean<Pick<CommentRecord, '_id' | 'answers'>[]>();
  return new Map(rows.map((r) => [String(r._id), [...(r.answers ?? [])].reverse()]));
}

/** The secretariat changed the disposition after the delegation answered it. */
export function dispositionChangedSince(c: Pick<CommentRecord, 'disposition' | 'answer'>): boolean {
  const given = c.disposition?.at ? new Date(c.disposition.at).getTime() : undefined;
  const seen = c.answer?.dispositionAt ? new Date(c.answer.dispositionAt).getTime() : undefined;
  return !!c.answer && given !== undefined && seen !== undefined && given > seen;
}
