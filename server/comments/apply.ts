// Applying an accepted comment's proposed change to the next revision (docs/applying-changes.md): where it
// goes (the revision open for editing, or the next one, opened on confirmation), the suggestion the
// secretariat starts from, the confirmation that edits the clause and records it on the disposition, and
// the comments applied to a document's revisions, for the redline.
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import {
  checkedEdit,
  clauseContentFromForm,
  formValuesOf,
  fullPatch,
  getDocument,
  getRevision,
  startNewRevision,
  editClauses,
  EditConflict,
  type ClauseForm,
  type DocumentRecord,
  type RevisionRecord,
  type Template,
} from '../documents/index.js';
import { Conflict, Forbidden, InvalidTransition } from '../errors.js';
import type { Lifecycle } from '../lifecycle/index.js';
import type { Logger } from 'pino';
import type { Clause } from '../text/clauses.js';
import { suggestChange, type SuggestionKind } from '../text/proposed-change.js';
import { appliableDecisions, Comment, type CommentRecord } from './model.js';
import { releasedCommentsChanged } from './summary-order.js';
import { getVisibleComment } from './service.js';

/** How the revision the change goes into is reached: it is open, or confirming opens it. */
export type Opening = 'open' | 'newRevision' | 'newRound';

export interface ApplicationTarget {
  comment: CommentRecord;
  doc: DocumentRecord;
  /** The revision the change goes into (open now, or the next number that confirming opens). */
  revision: number;
  opening: Opening;
  /** The edit version the confirmation must be made on (0 for a revision not yet opened). */
  version: number;
  /** The clause as it reads where the change goes. */
  clause: Clause;
  clauses: Clause[];
}

/**
 * Whether this comment's proposed change may be applied now, and where it would go; refused with the
 * reason otherwise. Reads only: nothing is opened until the secretariat confirms.
 */
export async function applicationOf(actor: CurrentUser, commentId: string): Promise<ApplicationTarget> {
  if (actor.role !== 'secretariat') throw new Forbidden('errors.forbidden');
  const { comment, doc } = await getVisibleComment(actor, commentId);
  const d = comment.disposition;
  if (comment.status !== 'released' || !d) throw new Conflict('apply.noDisposition');
  if (!appliableDecisions.includes(d.decision)) throw new Conflict('apply.notAccepted');
  if (!comment.proposedChange?.trim()) throw new Conflict('apply.noProposal');
  // Kept at the first clause's place, it is on no clause: the editor is where such a change is made.
  if (comment.wholeDocument) throw new Conflict('apply.wholeDocument');
  // Refused, not repeated: a second application would edit the clause again (docs/applying-changes.md).
  if (d.appliedClauseKey) throw new Conflict('apply.alreadyApplied', { number: d.appliedInRevision ?? '' });
  let opening: Opening;
  if (doc.state === 'resolution') opening = 'newRound';
  else if (doc.state === 'draft') opening = 'open';
  else if (doc.state === 'comment') throw new InvalidTransition('apply.stillCommenting');
  else throw new InvalidTransition('apply.movedOn', { state: doc.state });
  const current = await getRevision(doc, doc.currentRevision);
  if (opening === 'open' && current.frozen) opening = 'newRevision';
  const clause = current.clauses.find((c) => c.key === comment.clauseKey);
  if (!clause) throw new Conflict('apply.clauseGone');
  return { comment, doc, revision: opening === 'open' ? current.number : current.number + 1, opening, version: opening === 'open' ? current.version : 0, clause, clauses: current.clauses };
}

/** The clause form's values with the proposal applied, and what was read of it. */
export function suggestionFor(target: ApplicationTarget): { values: Record<string, unknown>; applied: SuggestionKind[] } {
  return suggestChange(formValuesOf(target.clause), target.comment.proposedChange);
}

/** Comments of the round that stand in the way of ending it: without a disposition, or still referred to a meeting. */
async function roundStillOpen(doc: DocumentRecord): Promise<number> {
  return Comment.countDocuments({ document: doc._id, round: doc.round, status: 'released', $or: [{ disposition: null }, { 'disposition.decision': 'referred' }] });
}

export interface ApplyDeps {
  lifecycle: Lifecycle;
  templates: readonly Template[];
  log?: Logger;
}

/**
 * The secretariat confirms the clause as it edited it: the next revision is opened if it is not (in the
 * resolution stage that is the next round, `newRound`, once every comment of the round is decided), the
 * clause is changed in one edit that names the comment, and the disposition records the revision and the
 * clause, when and by whom. The edit is checked before anything is opened, so a refused one changes nothing.
 * A retry after a crash between the edit and the record finds the edit and only records it.
 */
export async function applyComment(actor: CurrentUser, deps: ApplyDeps, commentId: string, input: { revision: number; version: number; form: ClauseForm }, now: Date): Promise<{ revision: number; clauseKey: string; from: number }> {
  const target = await applicationOf(actor, commentId);
  const { doc, comment } = target;
  const key = comment.clauseKey;
  const record = async (number: number) => {
    const r = await Comment.updateOne(
      { _id: comment._id, status: 'released', 'disposition.decision': mongoose.trusted({ $in: [...appliableDecisions] }), 'disposition.appliedClauseKey': null },
      { $set: { 'disposition.appliedInRevision': number, 'disposition.appliedClauseKey': key, 'disposition.appliedAt': now, 'disposition.appliedBy': new mongoose.Types.ObjectId(actor.id), 'disposition.appliedByName': actor.name } },
    );
    if (r.matchedCount === 0) throw new Conflict('apply.alreadyApplied', { number });
    await releasedCommentsChanged(comment.document, 'decided');
    return { revision: number, clauseKey: key, from: comment.revision };
  };
  // Edited before, and the process stopped before the disposition said so: only the record is left to make.
  if (target.opening === 'open' && (await getRevision(doc, target.revision)).edits.some((e) => e.comment === commentId)) return record(target.revision);
  const patch = fullPatch(clauseContentFromForm(input.form));
  const template = deps.templates.find((t) => t.id === doc.kind);
  // Checked on the text it will be made on (the next revision starts as a copy of the current one).
  checkedEdit(target.clauses, { type: 'update', key, patch }, template);
  if (input.revision !== target.revision || input.version !== target.version) {
    const rev = await getRevision(doc, doc.currentRevision);
    throw new EditConflict(rev.edits.filter((e) => input.revision !== rev.number || e.version > input.version));
  }
  if (target.opening === 'newRound') {
    if (await roundStillOpen(doc)) throw new Conflict('apply.roundOpen');
    await deps.lifecycle.move(actor, String(doc._id), 'newRound', { now, rev: doc.rev, note: comment.number ?? undefined, log: deps.log });
  }
  if (target.opening !== 'open') await startNewRevision(actor, String(doc._id), now);
  const opened = await getDocument(actor, String(doc._id));
  const rev: RevisionRecord = await getRevision(opened, opened.currentRevision);
  if (rev.number !== target.revision) throw new Conflict('apply.revisionMoved', { number: rev.number });
  if (!rev.edits.some((e) => e.comment === commentId)) await editClauses(actor, deps.templates, String(doc._id), input.version, { type: 'update', key, patch }, now, { comment: commentId });
  return record(rev.number);
}

/** A comment applied to a clause, as the redline names it. */
export interface AppliedComment {
  id: string;
  number: string | null;
  decision: string;
  revision: number;
}

/**
 * The comments whose proposed change was applied in the revisions after `from` up to `to`, by the clause
 * they changed: what the redline between the two shows at each changed clause.
 */
export async function appliedComments(doc: Pick<DocumentRecord, '_id'>, from: number, to: number): Promise<Map<string, AppliedComment[]>> {
  const rows = await Comment.find({ document: doc._id, 'disposition.appliedInRevision': mongoose.trusted({ $gt: Math.min(from, to), $lte: Math.max(from, to) }) })
    .select({ number: 1, status: 1, disposition: 1, seq: 1, delegation: 1 })
    .limit(2000)
    .lean<CommentRecord[]>();
  const byClause = new Map<string, AppliedComment[]>();
  rows
    .filter((c) => c.status === 'released' && c.disposition?.appliedClauseKey)
    .sort((a, b) => String(a.number ?? '').localeCompare(String(b.number ?? '')))
    .forEach((c) => {
      const key = c.disposition!.appliedClauseKey!;
      byClause.set(key, [...(byClause.get(key) ?? []), { id: String(c._id), number: c.number ?? null, decision: c.disposition!.decision, revision: c.disposition!.appliedInRevision! }]);
    });
  return byClause;
}
