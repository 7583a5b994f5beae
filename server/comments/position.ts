import type { CurrentUser } from '../auth/index.js';
import type { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden } from '../errors.js';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument, getRevision, recordReleasedPosition } from '../documents/index.js';
import { Comment, NationalPosition, type CommentRecord, type PositionRecord } from './model.js';
import type { Notices } from '../notices/index.js';
import { noticeRecipients } from '../users/service.js';
import { checkPeriodOpen, commentFields, delegationOf, positionReleased } from './service.js';
import { inClauseOrder, orderKey } from './order.js';
import { releasedCommentsChanged } from './summary-order.js';

/** Comments in the order of the text: by clause, then by anchor, then as written. */
export function positionOf(doc: DocumentRecord, delegation: string): Promise<PositionRecord | null> {
  return NationalPosition.findOne({ document: doc._id, round: doc.round, delegation }).select({ document: 1, round: 1, delegation: 1, releasedAt: 1, releasedByName: 1, numbered: 1, count: 1 }).lean<PositionRecord>();
}

/**
 * The one numbering of released comments: the delegation's code and its n-th released comment of the
 * round (BY-001, BY-002 …), unique per document and round through `numberKey`.
 */
export function numbered(document: DocumentRecord['_id'], round: number, delegation: string, seq: number): { number: string; seq: number; numberKey: string } {
  const number = `${delegation}-${String(seq).padStart(3, '0')}`;
  return { number, seq, numberKey: `${document}:${round}:${number}` };
}

/** A released comment made by the system on a delegation's behalf (a failed ballot's reasons). */
export interface SystemComment {
  _id: mongoose.Types.ObjectId;
  document: DocumentRecord['_id'];
  round: number;
  revision: number;
  clauseKey: string;
  /** the clause's place in the revision (for the summary's order) */
  clauseIndex: number;
  text: string;
  delegation: string;
  author: mongoose.Types.ObjectId | null;
  authorName: string;
}

/**
 * Adds a released general comment, numbered after the delegation's last of the round (BY-004 after
 * BY-003). Its id is fixed by the caller, so running this again adds nothing; a number taken meanwhile
 * (a release numbering at the same moment) is looked up again.
 */
export async function addReleasedComment(c: SystemComment): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    // Made already (by an earlier run, which may have stopped before saying so): say so, again.
    if (await Comment.exists({ _id: c._id })) return releasedCommentsChanged(c.document, 'released');
    const last = await Comment.findOne({ document: c.document, round: c.round, delegation: c.delegation, status: 'released' }).sort({ seq: -1 }).select({ seq: 1 }).lean<{ seq?: number | null }>();
    try {
      const { clauseIndex, ...fields } = c;
      await Comment.create({ ...fields, author: c.author ?? undefined, type: 'ge', status: 'released', order: orderKey(clauseIndex, null), ...numbered(c.document, c.round, c.delegation, (last?.seq ?? 0) + 1) });
      return releasedCommentsChanged(c.document, 'released');
    } catch (err) {
      // Either this comment was made meanwhile, or the number was taken: look again.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
}

/**
 * The head releases the national position: the position record is created once (of two releases one
 * wins) and the release is recorded on the document, which refuses new comments from then on; only then
 * do the delegation's comments get numbers in clause order — BY-001, BY-002 … — and become visible to the
 * secretariat and the other delegation. A comment posted at the same moment is checked on the document
 * read after its insert (service.ts, checkAfterInsert): it either sees the release and is taken back, or
 * was stored before the release was recorded and is numbered here with the rest. Resumable: a release
 * interrupted half-way is finished by the next call, continuing the numbers without a gap.
 */
export async function releasePosition(actor: CurrentUser, docId: string, now: Date, notices: Notices): Promise<PositionRecord> {
  const delegation = delegationOf(actor);
  if (actor.role !== 'head') throw new Forbidden('comments.headOnly');
  const doc = await getDocument(actor, docId);
  const existing = await positionOf(doc, delegation);
  if (existing?.numbered) throw new Conflict('comments.alreadyReleased', { delegation });
  if (!existing) {
    checkPeriodOpen(doc, now);
    try {
      await NationalPosition.create({ document: doc._id, round: doc.round, delegation, releasedAt: now, releasedBy: actor.id, releasedByName: actor.name });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
  // Before the comments are listed for numbering (and again by a release that resumes).
  if (!positionReleased(doc, delegation)) await recordReleasedPosition(doc._id, { round: doc.round, delegation, at: existing?.releasedAt ?? now });
  const revision = await getRevision(doc, doc.commentPeriod!.revision);
  const order = revision.clauses.map((c) => c.key);
  const base = { document: doc._id, round: doc.round, delegation };
  const already = await Comment.countDocuments({ ...base, status: 'released' });
  const pending = inClauseOrder(await Comment.find({ ...base, status: 'internal' }).select(commentFields).lean<CommentRecord[]>(), order);
  let seq = already;
  try {
    for (const c of pending) {
      seq++;
      let r;
      try {
        r = await Comment.updateOne(
          { _id: c._id, status: 'internal' },
          { $set: { status: 'released', ...numbered(doc._id, doc.round, delegation, seq) }, $inc: { version: 1 } },
        );
      } catch (err) {
        // The number is taken: a simultaneous release of the same position is numbering; it finishes the job.
        if ((err as { code?: number }).code === 11000) throw new Conflict('comments.alreadyReleased', { delegation });
        throw err;
      }
      if (r.modifiedCount === 0) seq--; // dropped, merged or numbered by a simultaneous release meanwhile
    }
  } finally {
    // The summary shows what was released, even when a simultaneous release ended this one early.
    await releasedCommentsChanged(doc._id, 'released');
  }
  // Counted, not taken from `seq`: a simultaneous release may have numbered some of them.
  const count = await Comment.countDocuments({ ...base, status: 'released' });
  const done = await NationalPosition.findOneAndUpdate(
    { ...base, numbered: false },
    { $set: { numbered: true, count } },
    { returnDocument: 'after', projection: { document: 1, round: 1, delegation: 1, releasedAt: 1, releasedByName: 1, numbered: 1, count: 1 } },
  ).lean<PositionRecord>();
  if (!done) throw new Conflict('comments.alreadyReleased', { delegation });
  notices.inBackground(
    noticeRecipients({ roles: ['secretariat'] }, 'positionReleased').then((to) =>
      notices.send({ key: `positionReleased:${doc._id}:${doc.round}:${delegation}`, kind: 'positionReleased', to, params: { title: doc.titles.ru, delegation, count }, link: `/documents/${doc._id}/comments` }),
    ),
  );
  return done;
}
