// The effects named in the transition table (server/lifecycle/table.ts, `EffectName`), one object each:
// `prepare` checks the move's input and gives the fields it sets in the same update as the move; `apply`
// writes what must exist before the move is committed (idempotent, so a crash after it is finished by the
// next attempt); `after` continues once the move is committed.
import type { CurrentUser } from '../auth/index.js';
import { committeeSettings } from '../committee/index.js';
import { Revision, type DocumentRecord } from '../documents/model.js';
import { createSuccessorDraft } from '../documents/index.js';
import { Conflict, InvalidInput, InvalidTransition } from '../errors.js';
import type { EffectName } from './table.js';

export interface EffectInput {
  actor: CurrentUser | null;
  doc: DocumentRecord;
  now: Date;
  /** Comment deadline when circulating; ballot closing date when opening the ballot. */
  closesAt?: Date;
  /** The successor draft's id, chosen by the caller so that a retry finds the same draft. */
  successorId?: DocumentRecord['_id'];
}

/** What an `after` effect may do: make the follow-up move of another document. */
export type FollowUp = (id: string, name: string, opts: { now: Date; note?: string; set?: Record<string, unknown> }) => Promise<unknown>;

interface Effect {
  prepare?(input: EffectInput): Promise<Record<string, unknown>> | Record<string, unknown>;
  apply?(input: EffectInput): Promise<void>;
  after?(moved: DocumentRecord, now: Date, followUp: FollowUp): Promise<void>;
}

const day = 86400_000;
/** A comment period's deadline and a ballot's closing each say which of the two is in the past. */
function closingDate(input: EffectInput, defaultDays: number, inPast: 'documents.deadlineInPast' | 'documents.ballotDeadlineInPast'): Date {
  const closesAt = input.closesAt ?? new Date(input.now.getTime() + defaultDays * day);
  // closesAt is the API's field, closesDate the form's.
  if (closesAt.getTime() <= input.now.getTime()) throw new InvalidInput(inPast, {}, { closesAt: inPast, closesDate: inPast });
  return closesAt;
}

export const EFFECTS: Readonly<Record<EffectName, Effect>> = {
  freezeRevision: {
    async apply({ doc, now }) {
      await Revision.updateOne({ document: doc._id, number: doc.currentRevision, frozen: false }, { $set: { frozen: true, frozenAt: now } });
    },
  },
  openCommentPeriod: {
    prepare(input) {
      return { commentPeriod: { revision: input.doc.currentRevision, opensAt: input.now, closesAt: closingDate(input, 60, 'documents.deadlineInPast') } };
    },
  },
  openBallot: {
    async prepare(input) {
      const settings = await committeeSettings();
      return { ballotPeriod: { revision: input.doc.currentRevision, opensAt: input.now, closesAt: closingDate(input, settings.ballotDays, 'documents.ballotDeadlineInPast'), rule: settings.approvalRule } };
    },
  },
  startSuccessor: {
    async apply({ actor, doc, now, successorId }) {
      if (!actor || !successorId || !doc.publication) throw new InvalidTransition('publishing.useForm.amend', { id: String(doc._id) });
      await createSuccessorDraft(actor, doc, doc.publication.revision, successorId, now);
    },
  },
  supersedePredecessor: {
    async after(moved, now, followUp) {
      if (!moved.supersedes || !moved.publication) return;
      try {
        await followUp(String(moved.supersedes), 'supersede', { now, note: moved.publication.designation, set: { supersededBy: moved._id } });
      } catch (err) {
        // Superseded already, or withdrawn meanwhile: left as it is.
        if (!(err instanceof Conflict)) throw err;
      }
    },
  },
};
