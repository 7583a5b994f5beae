import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, InvalidTransition } from '../errors.js';
import type { DocumentRecord } from '../documents/index.js';
import { listRevisions } from '../documents/index.js';
import type { FactProvider } from '../lifecycle/index.js';
import { Comment, decisionsNeedingReason, type Decision } from './model.js';
import { getVisibleComment } from './service.js';

export interface DispositionInput {
  decision: Decision;
  reason?: string;
  observation?: string;
  appliedInRevision?: number;
}

/** The secretariat answers a released comment; rejected and partially accepted ones must say why. */
export async function setDisposition(actor: CurrentUser, commentId: string, input: DispositionInput, now: Date): Promise<void> {
  if (actor.role !== 'secretariat') throw new Forbidden('errors.forbidden');
  const { comment, doc } = await getVisibleComment(actor, commentId);
  if (comment.status !== 'released') throw new Conflict('comments.notReleased');
  if (doc.state !== 'comment' && doc.state !== 'resolution') throw new InvalidTransition('comments.dispositionClosed');
  if (decisionsNeedingReason.includes(input.decision) && !input.reason?.trim()) {
    throw new InvalidInput('comments.reasonRequired', {}, { reason: 'comments.reasonRequired' });
  }
  if (input.appliedInRevision !== undefined) {
    const numbers = (await listRevisions(doc)).map((r) => r.number);
    if (!numbers.includes(input.appliedInRevision)) throw new InvalidInput('comments.unknownRevision', {}, { appliedInRevision: 'comments.unknownRevision' });
  }
  await Comment.updateOne(
    { _id: comment._id, status: 'released' },
    {
      $set: {
        disposition: {
          decision: input.decision,
          reason: input.reason?.trim() || undefined,
          observation: input.observation?.trim() || undefined,
          appliedInRevision: input.appliedInRevision ?? null,
          by: new mongoose.Types.ObjectId(actor.id),
          byName: actor.name,
          at: now,
        },
      },
    },
  );
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
