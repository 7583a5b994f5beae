// Editing a revision's clauses: one edit at a time on the version the editor saw, through the one write
// path of a revision's text (writeRevision), which refuses a frozen revision loudly.
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, InvalidInput, InvalidTransition, NotFound } from '../errors.js';
import { STATES } from '../lifecycle/table.js';
import { committeeCoverage, unprintableInRevision, type DocumentTexts, type Unprintable } from '../pdf/glyphs.js';
import {
  ClauseOperationError,
  danglingReferences,
  indent,
  insertAfter,
  moveDown,
  moveUp,
  newClauseKey,
  outdent,
  removeClause,
  updateClause,
  validateClauses,
  type Clause,
  type ClausePatch,
} from '../text/clauses.js';
import { Revision, type DocumentRecord, type RevisionRecord } from './model.js';
import { getDocument, getRevision, messages } from './service.js';
import { missingMandatoryClauses, type Template } from './templates.js';

export type ClauseAction =
  | { type: 'insert'; afterKey: string | null; clause: Omit<Clause, 'key'> }
  | { type: 'update'; key: string; patch: ClausePatch }
  | { type: 'move'; key: string; direction: 'up' | 'down' | 'in' | 'out' }
  | { type: 'remove'; key: string };

function apply(clauses: Clause[], action: ClauseAction, template: Template | undefined): { clauses: Clause[]; key: string } {
  switch (action.type) {
    case 'insert': {
      const key = newClauseKey();
      return { clauses: insertAfter(clauses, action.afterKey, { ...action.clause, key } as Clause), key };
    }
    case 'update':
      return { clauses: updateClause(clauses, action.key, action.patch), key: action.key };
    case 'move': {
      const op = { up: moveUp, down: moveDown, in: indent, out: outdent }[action.direction];
      return { clauses: op(clauses, action.key), key: action.key };
    }
    case 'remove': {
      const next = removeClause(clauses, action.key);
      if (template && missingMandatoryClauses(template, next).length > missingMandatoryClauses(template, clauses).length) {
        throw new InvalidInput(messages.mandatoryClause);
      }
      return { clauses: next, key: action.key };
    }
  }
}

/**
 * One clause edit made on these clauses without saving anything, refused as editClauses refuses it:
 * what a use-case checks before the moves that must come first (applying a comment, docs/applying-changes.md).
 */
export function checkedEdit(clauses: Clause[], action: ClauseAction, template: Template | undefined): { clauses: Clause[]; key: string } {
  try {
    return apply(clauses, action, template);
  } catch (err) {
    if (err instanceof ClauseOperationError) {
      // The clause the address names is not there: not found. The clause to insert after is not there
      // (deleted meanwhile): the request conflicts with the revision as it now is.
      if (err.code === 'notFound' && action.type !== 'insert') throw new NotFound('clauses.error.notFound', { detail: err.message });
      if (err.code === 'notFound') throw new Conflict('clauses.error.notFound', { detail: err.message }, { afterKey: 'clauses.error.notFound' });
      throw clauseRefusal(err);
    }
    throw err;
  }
}

/** Edits made to a revision after the version an editor saw, newest last. */
export function editsSince(rev: Pick<RevisionRecord, 'edits'>, version: number): RevisionRecord['edits'] {
  return rev.edits.filter((e) => e.version > version);
}

/** A refused clause edit as a sentence for the page and, where there is one, beside the field it concerns. */
function clauseRefusal(err: ClauseOperationError): InvalidInput {
  const first = err.issues[0];
  if (!first) return new InvalidInput(`clauses.error.${err.code}`, { detail: err.message });
  // A table row with the wrong number of cells says which row, and how many cells against how many columns.
  const key = first.code === 'invalidTable' && first.params?.row ? 'clauses.error.invalidTableRow' : `clauses.error.${first.code}`;
  return new InvalidInput(key, { detail: err.message, ...first.params }, first.field ? { [first.field]: first.params?.row ? key : `clauses.issue.${first.code}` } : undefined);
}

/**
 * Applies one clause edit to the working revision, only if nobody saved since `baseVersion`; otherwise
 * a Conflict carries what the others changed, so the editor can see it before trying again.
 */
export async function editClauses(actor: CurrentUser, templates: readonly Template[], id: string, baseVersion: number, action: ClauseAction, now: Date, tag?: { comment: string }): Promise<{ version: number; key: string }> {
  const doc = await getDocument(actor, id);
  if (!STATES[doc.state].editable) throw new InvalidTransition(messages.notEditable, { state: doc.state });
  const rev = await getRevision(doc, doc.currentRevision);
  if (rev.frozen) throw new RevisionFrozen(rev.number);
  if (rev.version !== baseVersion) throw new EditConflict(editsSince(rev, baseVersion));
  const result = checkedEdit(rev.clauses, action, templates.find((t) => t.id === doc.kind));
  // An edit that applies a comment's proposed change names the comment (docs/applying-changes.md).
  const edit = { version: baseVersion + 1, at: now, by: new mongoose.Types.ObjectId(actor.id), byName: actor.name, action: action.type === 'move' ? `move-${action.direction}` : action.type, clauseKey: result.key, ...(tag ? { comment: tag.comment } : {}) };
  const version = await writeRevision(doc, rev.number, baseVersion, { $set: { clauses: result.clauses }, $push: { edits: { $each: [edit], $slice: -200 } } });
  return { version, key: result.key };
}

/**
 * The one way a revision's text changes: a conditional update on `frozen: false` and the edit version the
 * editor saw, which bumps the version. When it matches nothing it says why, loudly: the revision is
 * frozen (RevisionFrozen) or someone saved since (EditConflict). Freezing is the only other write of a
 * revision (in transition), and it too matches `frozen: false`.
 */
export async function writeRevision(doc: Pick<DocumentRecord, '_id'>, number: number, baseVersion: number, update: { $set: Record<string, unknown>; $push?: Record<string, unknown> }): Promise<number> {
  const updated = await Revision.findOneAndUpdate(
    { document: doc._id, number, frozen: false, version: baseVersion },
    { ...update, $inc: { version: 1 } },
    { returnDocument: 'after', projection: { version: 1 } },
  ).lean<{ version: number }>();
  if (updated) return updated.version;
  const now = await Revision.findOne({ document: doc._id, number }).select({ frozen: 1, edits: 1 }).lean<Pick<RevisionRecord, 'frozen' | 'edits'>>();
  if (!now) throw new NotFound(messages.revisionNotFound);
  if (now.frozen) throw new RevisionFrozen(number);
  throw new EditConflict(editsSince(now, baseVersion));
}

/** A write to a revision that circulation or the ballot froze: its text stays; a new revision takes changes. */
export class RevisionFrozen extends Conflict {
  constructor(readonly number: number) {
    super(messages.revisionFrozen, { number });
  }
}

export class EditConflict extends Conflict {
  constructor(readonly edits: RevisionRecord['edits']) {
    super(messages.editConflict, { count: edits.length });
  }
}

/**
 * Problems that block circulating the current revision: clause rules, references to missing clauses,
 * and characters that no font of the PDFs prints (in the clauses and, given the document, its titles).
 */
export function revisionProblems(clauses: readonly Clause[], doc?: DocumentTexts): { issues: ReturnType<typeof validateClauses>; dangling: ReturnType<typeof danglingReferences>; unprintable: Unprintable[] } {
  return { issues: validateClauses(clauses), dangling: danglingReferences(clauses), unprintable: unprintableInRevision(clauses, committeeCoverage(), doc) };
}

