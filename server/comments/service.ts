import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound } from '../errors.js';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument, getDocumentFields, getRevision } from '../documents/index.js';
import { derived } from '../common/derived-cache.js';
import { findDelegationByCode } from '../delegations/service.js';
import type { Notices } from '../notices/index.js';
import { noticeRecipients } from '../users/service.js';
import { Comment, validateNewComment, type CommentRecord, type CommentType } from './model.js';
import { orderKey } from './order.js';

export const messages = {
  notFound: 'comments.notFound',
  noDelegation: 'comments.noDelegation',
  notInCommentStage: 'comments.notInCommentStage',
  periodClosed: 'comments.periodClosed',
  unknownClause: 'comments.unknownClause',
  positionReleased: 'comments.positionReleased',
  notYours: 'comments.notYourDelegation',
  notEditable: 'comments.notEditable',
  changedMeanwhile: 'comments.changedMeanwhile',
  sameComment: 'comments.mergeSame',
  notAuthor: 'comments.notAuthor',
} as const;

export const commentFields = {
  document: 1, round: 1, revision: 1, clauseKey: 1, anchor: 1, line: 1, type: 1, text: 1, proposedChange: 1, delegation: 1, author: 1, authorName: 1, status: 1, mergedInto: 1, number: 1, seq: 1, replies: 1, disposition: 1, earlierDispositions: 1, answer: 1, unmatchedClause: 1, wholeDocument: 1, version: 1, createdAt: 1, updatedAt: 1,
} as const;

/** The delegation a head or member speaks for; anyone else cannot comment. */
export function delegationOf(actor: CurrentUser): string {
  if ((actor.role !== 'head' && actor.role !== 'member') || !actor.delegationCode) throw new Forbidden(messages.noDelegation);
  return actor.delegationCode;
}

/** The comment period of a document must be open at `now`; the deadline is checked here, job or no job. */
export function checkPeriodOpen(doc: Pick<DocumentRecord, 'state' | 'commentPeriod'>, now: Date): void {
  if (doc.state !== 'comment' || !doc.commentPeriod) throw new InvalidTransition(messages.notInCommentStage);
  if (now.getTime() >= doc.commentPeriod.closesAt.getTime()) {
    throw new Conflict(messages.periodClosed, { closedAt: doc.commentPeriod.closesAt });
  }
}

/** Whether the delegation released its position of the document's current round (the release records it on the document: position.ts). */
export function positionReleased(doc: Pick<DocumentRecord, 'round' | 'releasedPositions'>, delegation: string): boolean {
  return doc.releasedPositions?.some((p) => p.round === doc.round && p.delegation === delegation) ?? false;
}

/** A delegation may add comments to a document while its period is open and its position not released. */
function checkMayComment(doc: CommentTarget, delegation: string, now: Date): void {
  checkPeriodOpen(doc, now);
  if (positionReleased(doc, delegation)) throw new Conflict(messages.positionReleased);
}

/** What the rules of a new comment read of its document, and no more. */
const targetFields = { titles: 1, state: 1, round: 1, commentPeriod: 1, releasedPositions: 1 } as const;
export type CommentTarget = Pick<DocumentRecord, '_id' | 'titles' | 'state' | 'round' | 'commentPeriod' | 'releasedPositions'>;

/**
 * The last read of each document commented on in this process. Only a hint to build the next comment
 * from without reading first: it is never trusted, the read after the insert decides (postComment).
 */
const lastRead = new Map<string, CommentTarget>();
const lastReadLimit = 256;

async function readTarget(actor: CurrentUser, docId: string): Promise<CommentTarget> {
  const doc = await getDocumentFields(actor, docId, targetFields);
  lastRead.delete(docId);
  lastRead.set(docId, doc);
  if (lastRead.size > lastReadLimit) lastRead.delete(lastRead.keys().next().value!);
  return doc;
}

export interface CommentInput {
  clauseKey: string;
  anchorKind?: 'paragraph' | 'table' | 'figure';
  anchorRef?: string;
  /** The line number(s) of the commented text, as written. */
  line?: string;
  type: CommentType;
  text: string;
  proposedChange?: string;
}

/**
 * The clause keys of the circulated revision. Circulation froze it, and a frozen revision never changes,
 * so its keys are read once and kept.
 */
async function clauseKeysOf(doc: Pick<DocumentRecord, '_id'>, number: number): Promise<Map<string, number>> {
  const cached = derived(`frozen-keys:${doc._id}:${number}`, () => ({ keys: undefined as Map<string, number> | undefined }));
  if (!cached.keys) {
    const revision = await getRevision(doc, number);
    const keys = new Map(revision.clauses.map((c, i) => [c.key, i]));
    if (!revision.frozen) return keys;
    cached.keys = keys;
  }
  return cached.keys;
}

/**
 * The rules every new comment of a delegation passes, one typed in or many imported from a file, on the
 * document as read: its comment period open, a clause of the circulated revision, the delegation's
 * position not yet released. Gives the fields of each comment to create.
 */
export async function newCommentRecords(actor: CurrentUser, doc: CommentTarget, inputs: readonly CommentInput[], now: Date) {
  const delegation = delegationOf(actor);
  checkPeriodOpen(doc, now);
  const keys = await clauseKeysOf(doc, doc.commentPeriod!.revision);
  const records = inputs.map((input) => {
    const clauseIndex = keys.get(input.clauseKey);
    if (clauseIndex === undefined) {
      throw new InvalidInput(messages.unknownClause, { revision: doc.commentPeriod!.revision }, { clauseKey: messages.unknownClause });
    }
    const anchor = input.anchorKind && input.anchorRef ? { kind: input.anchorKind, ref: input.anchorRef } : null;
    return {
      document: doc._id,
      round: doc.round,
      revision: doc.commentPeriod!.revision,
      clauseKey: input.clauseKey,
      anchor,
      line: input.line ?? null,
      order: orderKey(clauseIndex, anchor),
      type: input.type,
      text: input.text,
      proposedChange: input.proposedChange,
      delegation,
      author: actor.id,
      authorName: actor.name,
    };
  });
  if (positionReleased(doc, delegation)) throw new Conflict(messages.positionReleased);
  return { delegation, records };
}

type NewComment = Awaited<ReturnType<typeof newCommentRecords>>['records'][number];

/**
 * The check after the insert. Stored comments are checked again on the document read *after* them: a
 * release records itself on the document before it numbers the delegation's comments (position.ts), so
 * either this read sees the release — and the comments are taken back — or the release comes after it
 * and numbers them with the rest. A comment never stays behind, unnumbered, in a released position. The
 * same read refuses comments stored on a stale view of the document (the period closed, a new round).
 * Resolves to the document as read and how many of the comments stand: all of them, or — refused — those
 * the release numbered before they could be taken back (they are part of the position), with the refusal.
 */
export async function checkAfterInsert(actor: CurrentUser, docId: string, stored: readonly (NewComment & { _id: mongoose.Types.ObjectId })[], now: Date): Promise<{ doc: CommentTarget; standing: number; refusal?: unknown }> {
  let doc: CommentTarget | undefined;
  let refusal: unknown;
  try {
    doc = await readTarget(actor, docId);
    const first = stored[0];
    if (first && (doc.round !== first.round || doc.commentPeriod?.revision !== first.revision)) refusal = new Conflict(messages.changedMeanwhile);
    else checkMayComment(doc, delegationOf(actor), now);
  } catch (err) {
    refusal = err;
  }
  if (refusal === undefined) return { doc: doc!, standing: stored.length };
  const ids = stored.map((c) => c._id);
  const taken = await Comment.deleteMany({ _id: mongoose.trusted({ $in: ids }), status: 'internal' });
  // What is no longer internal was numbered by the release meanwhile: it is part of the position and stands.
  const standing = ids.length - taken.deletedCount;
  if (!doc) {
    if (standing === 0) throw refusal;
    throw new Conflict(messages.changedMeanwhile);
  }
  return { doc, standing, refusal };
}

/** Stores a new comment as the model would (cast, defaults, validation, timestamps), without making a Mongoose document of it. */
async function insertComment(record: NewComment): Promise<NewComment & { _id: mongoose.Types.ObjectId }> {
  const doc = Comment.applyTimestamps(Comment.applyDefaults(Comment.castObject(record))) as Record<string, unknown>;
  doc.__v = 0;
  validateNewComment(doc);
  await Comment.collection.insertOne(doc);
  return doc as NewComment & { _id: mongoose.Types.ObjectId };
}

/**
 * A member's comment on a clause of the circulated revision; internal to the delegation until released.
 * Built on the document as this process last read it (or as read now, the first time), stored, then
 * checked on the document read after the insert (checkAfterInsert): three round trips with the session's.
 * When that read shows the document moved meanwhile, the comment is taken back and the rules decide again
 * on the document as it is now — a refusal, or the comment stored in the new round.
 */
export async function postComment(actor: CurrentUser, docId: string, input: CommentInput, now: Date, notices: Notices): Promise<CommentRecord> {
  delegationOf(actor);
  let doc = lastRead.get(docId);
  let fresh = false;
  if (!doc) [doc, fresh] = [await readTarget(actor, docId), true];
  for (let attempt = 1; ; attempt++) {
    let records: NewComment[];
    try {
      ({ records } = await newCommentRecords(actor, doc, [input], now));
    } catch (err) {
      // Only what was just read may refuse: what this process remembered may be out of date.
      if (fresh) throw err;
      [doc, fresh] = [await readTarget(actor, docId), true];
      continue;
    }
    const stored = [await insertComment(records[0]!)];
    const after = await checkAfterInsert(actor, docId, stored, now);
    if (after.standing) {
      notices.inBackground(noticeAwaitingRelease(notices, after.doc, stored[0]!.delegation));
      // Numbered by a release meanwhile: the comment as it stands now.
      if (after.refusal) return (await Comment.findById(stored[0]!._id).select(commentFields).lean<CommentRecord>())!;
      return stored[0] as unknown as CommentRecord;
    }
    if (attempt === 3) throw new Conflict(messages.changedMeanwhile);
    [doc, fresh] = [after.doc, true];
  }
}

/** The delegation's head hears once per round that comments await the release of the position. */
export async function noticeAwaitingRelease(notices: Notices, doc: Pick<DocumentRecord, '_id' | 'round' | 'titles'>, delegation: string): Promise<void> {
  const key = `awaitingRelease:${doc._id}:${doc.round}:${delegation}`;
  // Every comment after the first finds the notice given and stops at one read by a unique key.
  if (await notices.given(key)) return;
  const d = await findDelegationByCode(delegation);
  if (!d) return;
  await notices.send({
    key,
    kind: 'awaitingRelease',
    to: await noticeRecipients({ roles: ['head'], delegationIds: [d._id] }, 'awaitingRelease'),
    params: { title: doc.titles.ru, delegation },
    link: `/documents/${doc._id}/comments`,
  });
}

/** A comment the caller may see: released ones to the committee, internal ones to their own delegation only. */
export async function getVisibleComment(actor: CurrentUser | undefined, commentId: string): Promise<{ comment: CommentRecord; doc: DocumentRecord }> {
  if (!mongoose.isValidObjectId(commentId)) throw new NotFound(messages.notFound);
  const comment = await Comment.findById(commentId).select({ ...commentFields, edits: 1 }).lean<CommentRecord>();
  if (!comment || !actor || !canSee(actor, comment)) throw new NotFound(messages.notFound);
  const doc = await getDocument(actor, String(comment.document));
  return { comment: forViewer(actor, comment), doc };
}

/** The comment as this person may read it: a delegation's internal discussion stays with the delegation. */
export function forViewer<T extends Pick<CommentRecord, 'delegation' | 'replies'> & { edits?: unknown[] }>(actor: CurrentUser | undefined, c: T): T {
  if (actor?.delegationCode === c.delegation) return c;
  return { ...c, replies: c.replies.filter((r) => !r.internal), edits: [] };
}

/** Only its author rewrites a comment; the rest of the delegation replies to it, the head merges or drops it. */
export function isAuthor(actor: CurrentUser, c: Pick<CommentRecord, 'author'>): boolean {
  return String(c.author) === actor.id;
}

/** The wording a change replaces, for the edit trail. */
function earlierWording(actor: CurrentUser, c: CommentRecord, now: Date, merged = false) {
  return { at: now, by: new mongoose.Types.ObjectId(actor.id), byName: actor.name, type: c.type, text: c.text, proposedChange: c.proposedChange ?? null, merged };
}

export function canSee(actor: CurrentUser, c: Pick<CommentRecord, 'status' | 'delegation'>): boolean {
  if (c.status === 'released') return ['administrator', 'secretariat', 'head', 'member'].includes(actor.role);
  return (actor.role === 'head' || actor.role === 'member') && actor.delegationCode === c.delegation && c.status === 'internal';
}

/** Before release, a delegation's members edit their comments; after it, the text is the national position. */
async function editableByDelegation(actor: CurrentUser, commentId: string, now: Date, headOnly = false) {
  const delegation = delegationOf(actor);
  if (headOnly && actor.role !== 'head') throw new Forbidden('errors.forbidden');
  const { comment, doc } = await getVisibleComment(actor, commentId);
  // A released comment of the other delegation is visible, but it is theirs to change, not ours.
  if (comment.delegation !== delegation) throw new Forbidden(messages.notYours);
  if (comment.status !== 'internal') throw new Conflict(messages.notEditable);
  checkPeriodOpen(doc, now);
  if (positionReleased(doc, delegation)) throw new Conflict(messages.positionReleased);
  return { comment, doc };
}

export async function editComment(actor: CurrentUser, commentId: string, version: number, input: Omit<CommentInput, 'clauseKey'>, now: Date): Promise<void> {
  const { comment, doc } = await editableByDelegation(actor, commentId, now);
  if (!isAuthor(actor, comment)) throw new Forbidden(messages.notAuthor);
  const anchor = input.anchorKind && input.anchorRef ? { kind: input.anchorKind, ref: input.anchorRef } : null;
  const order = orderKey((await clauseKeysOf(doc, comment.revision)).get(comment.clauseKey), anchor);
  const reworded = comment.type !== input.type || comment.text !== input.text || (comment.proposedChange ?? '') !== (input.proposedChange ?? '');
  const r = await Comment.updateOne(
    { _id: comment._id, status: 'internal', version },
    {
      // null, not undefined: an update drops undefined fields, and a cleared proposal must be cleared.
      $set: { type: input.type, text: input.text, proposedChange: input.proposedChange ?? null, anchor, line: input.line ?? null, order },
      ...(reworded ? { $push: { edits: earlierWording(actor, comment, now) } } : {}),
      $inc: { version: 1 },
    },
  );
  if (r.matchedCount === 0) throw new Conflict(messages.changedMeanwhile);
}

/** The head drops a comment from the national position; it stays visible to the delegation as dropped. */
export async function dropComment(actor: CurrentUser, commentId: string, now: Date): Promise<void> {
  const { comment } = await editableByDelegation(actor, commentId, now, true);
  const r = await Comment.updateOne({ _id: comment._id, status: 'internal' }, { $set: { status: 'dropped' }, $inc: { version: 1 } });
  if (r.matchedCount === 0) throw new Conflict(messages.changedMeanwhile);
}

/** The head merges `sourceId` into `targetId`: the texts are joined in the target, the source is retired. */
export async function mergeComments(actor: CurrentUser, targetId: string, sourceId: string, now: Date): Promise<void> {
  if (targetId === sourceId) throw new InvalidInput(messages.sameComment, {}, { source: messages.sameComment });
  const { comment: target } = await editableByDelegation(actor, targetId, now, true);
  const { comment: source } = await editableByDelegation(actor, sourceId, now, true);
  // Only comments of one document and round become one: an id from elsewhere is not among them.
  if (String(target.document) !== String(source.document) || target.round !== source.round) throw new NotFound(messages.notFound);
  const retired = await Comment.updateOne({ _id: source._id, status: 'internal' }, { $set: { status: 'merged', mergedInto: target._id }, $inc: { version: 1 } });
  if (retired.matchedCount === 0) throw new Conflict(messages.changedMeanwhile);
  const joined = (a?: string, b?: string) => [a, b].filter((s) => s && s.trim()).join('\n\n') || undefined;
  const r = await Comment.updateOne(
    { _id: target._id, status: 'internal' },
    {
      $set: { text: joined(target.text, source.text), proposedChange: joined(target.proposedChange, source.proposedChange) },
      $push: { edits: earlierWording(actor, target, now, true) },
      $inc: { version: 1 },
    },
  );
  if (r.matchedCount === 0) {
    // The target went away meanwhile: put the source back as it was.
    await Comment.updateOne({ _id: source._id, status: 'merged' }, { $set: { status: 'internal', mergedInto: null }, $inc: { version: 1 } });
    throw new Conflict(messages.changedMeanwhile);
  }
}

/** Replies: inside the delegation on internal comments; among the committee on released ones. */
export async function replyToComment(actor: CurrentUser, commentId: string, text: string, now: Date): Promise<void> {
  const { comment, doc } = await getVisibleComment(actor, commentId);
  if (doc.state === 'cancelled' || doc.state === 'withdrawn' || doc.state === 'published') throw new InvalidTransition(messages.notEditable);
  const r = await Comment.updateOne(
    { _id: comment._id, status: comment.status },
    { $push: { replies: { at: now, by: new mongoose.Types.ObjectId(actor.id), byName: actor.name, delegation: actor.delegationCode, text, internal: comment.status === 'internal' } } },
  );
  if (r.matchedCount === 0) throw new Conflict(messages.changedMeanwhile);
}

/**
 * How many comments of each document's current round are in a state: a delegation's unreleased ones
 * (what awaits its head), or the released ones without a disposition (what awaits the secretariat).
 * One aggregate over the documents asked for.
 */
export async function commentCountsOf(docs: readonly Pick<DocumentRecord, '_id' | 'round'>[], what: { delegation: string; status: 'internal' } | { undisposed: true }): Promise<Map<string, number>> {
  if (!docs.length) return new Map();
  const match: Record<string, unknown> = { document: { $in: docs.map((d) => d._id) } };
  if ('delegation' in what) Object.assign(match, { delegation: what.delegation, status: 'internal' });
  else Object.assign(match, { status: 'released', disposition: null });
  const rows = await Comment.aggregate<{ _id: { document: mongoose.Types.ObjectId; round: number }; n: number }>([{ $match: match }, { $group: { _id: { document: '$document', round: '$round' }, n: { $sum: 1 } } }]);
  const roundOf = new Map(docs.map((d) => [String(d._id), d.round]));
  return new Map(rows.filter((r) => roundOf.get(String(r._id.document)) === r._id.round).map((r) => [String(r._id.document), r.n]));
}
