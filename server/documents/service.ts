import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, InvalidInput, InvalidTransition, NotFound } from '../errors.js';
import type { Role } from '../users/index.js';
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
import { DocumentModel, documentFields, Revision, type DocumentRecord, type HistoryEvent, type RevisionRecord } from './model.js';
import { historyEvent, pushEvent } from '../lifecycle/history.js';
import { activeProductGroup } from './product-groups.js';
import { compareRevisions, type RevisionComparison } from '../text/redline.js';
import { clausesFromTemplate, missingMandatoryClauses, type Template } from './templates.js';
import { STATES, stageOf } from '../lifecycle/table.js';
import { committeeCoverage, unprintableInRevision, type DocumentTexts, type Unprintable } from '../pdf/glyphs.js';

export const messages = {
  notFound: 'documents.notFound',
  revisionNotFound: 'documents.revisionNotFound',
  unknownTemplate: 'documents.unknownTemplate',
  unknownProductGroup: 'documents.unknownProductGroup',
  notEditable: 'documents.notEditable',
  revisionFrozen: 'documents.revisionFrozen',
  editConflict: 'documents.editConflict',
  movedMeanwhile: 'documents.movedMeanwhile',
  revisionStarted: 'documents.revisionAlreadyStarted',
  nothingToStart: 'documents.nothingToStart',
  mandatoryClause: 'documents.mandatoryClause',
  deadlineInPast: 'documents.deadlineInPast',
} as const;

/** Roles that work on drafts; everybody else sees only what is public. */
export const committeeRoles: readonly Role[] = ['administrator', 'secretariat', 'head', 'member'];

export function seesDrafts(actor: CurrentUser | undefined): boolean {
  return !!actor && committeeRoles.includes(actor.role);
}

export { documentFields };
const summaryFields = { titles: 1, kind: 1, productGroup: 1, ics: 1, state: 1, stage: 1, currentRevision: 1, designation: 1, updatedAt: 1 } as const;
const revisionFields = { document: 1, number: 1, frozen: 1, frozenAt: 1, clauses: 1, version: 1, edits: 1, basedOn: 1, createdAt: 1, updatedAt: 1 } as const;

export type DocumentSummary = Pick<DocumentRecord, '_id' | 'titles' | 'kind' | 'productGroup' | 'ics' | 'state' | 'stage' | 'currentRevision' | 'designation' | 'updatedAt'>;

function publicStates(): string[] {
  return Object.entries(STATES).filter(([, s]) => s.public).map(([k]) => k);
}

export async function listDocuments(actor: CurrentUser | undefined): Promise<DocumentSummary[]> {
  const filter = seesDrafts(actor) ? {} : { state: mongoose.trusted({ $in: publicStates() }) };
  return DocumentModel.find(filter as Record<string, unknown>).select(summaryFields).sort({ updatedAt: -1 }).limit(500).lean<DocumentSummary[]>();
}

/** Whether any document exists (the demo loader fills only an empty installation). */
export async function hasAnyDocument(): Promise<boolean> {
  return (await DocumentModel.exists({})) !== null;
}

/** The documents in one state, for the scheduled jobs (deadlines, ballots); only the fields asked for. */
export async function documentsInState<K extends keyof DocumentRecord>(state: DocumentRecord['state'], fields: Partial<Record<K, 1>>): Promise<Pick<DocumentRecord, K | '_id'>[]> {
  return DocumentModel.find({ state }).select(fields as Record<string, 1>).lean<Pick<DocumentRecord, K | '_id'>[]>();
}

/** The document, if it is still in the ballot that opened at `opensAt` (the ballot feature's check before it moves it). */
export async function documentInBallot<K extends keyof DocumentRecord>(id: DocumentRecord['_id'], opensAt: Date, fields: Partial<Record<K, 1>>): Promise<Pick<DocumentRecord, K | '_id'> | null> {
  return DocumentModel.findOne({ _id: id, state: 'ballot', 'ballotPeriod.opensAt': opensAt }).select(fields as Record<string, 1>).lean<Pick<DocumentRecord, K | '_id'>>();
}

/** Published (and withdrawn) documents with their publication record, for the catalogue; only the fields asked for. */
export async function documentsForCatalogue(states: readonly DocumentRecord['state'][], fields: Record<string, 1>): Promise<Record<string, unknown>[]> {
  const filter = { state: mongoose.trusted({ $in: [...states] }), publication: mongoose.trusted({ $ne: null }) };
  return DocumentModel.find(filter as Record<string, unknown>).select(fields).lean<Record<string, unknown>[]>();
}

/** What the catalogue's search fields are made of: titles, designation and the publication record. */
export async function searchSourceOf(id: string): Promise<Pick<DocumentRecord, '_id' | 'titles' | 'designation' | 'publication'> | null> {
  if (!mongoose.isValidObjectId(id)) return null;
  return DocumentModel.findById(id).select({ titles: 1, designation: 1, publication: 1 }).lean<DocumentRecord>();
}

/** Stores the catalogue's own search fields on a document (server/catalogue/store.ts makes them). */
export async function storeSearchFields(id: DocumentRecord['_id'], fields: { searchTokens: string[]; sortKey: string }): Promise<void> {
  await DocumentModel.updateOne({ _id: id }, { $set: { searchTokens: fields.searchTokens, sortKey: fields.sortKey } });
}

/** A document the caller may see; one they may not is "not found", so its existence is not revealed. */
export async function getDocument(actor: CurrentUser | undefined, id: string): Promise<DocumentRecord> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound(messages.notFound);
  const doc = await DocumentModel.findById(id).select(documentFields).lean<DocumentRecord>();
  if (!doc || (!seesDrafts(actor) && !STATES[doc.state].public)) throw new NotFound(messages.notFound);
  return doc;
}

/** Which revision, and at which edit version, without its text: enough to find derived values cached. */
export async function getRevisionHeader(doc: DocumentRecord, number: number): Promise<Omit<RevisionRecord, 'clauses' | 'edits'>> {
  if (!Number.isInteger(number) || number < 1) throw new NotFound(messages.revisionNotFound);
  const r = await Revision.findOne({ document: doc._id, number }).select({ document: 1, number: 1, frozen: 1, frozenAt: 1, version: 1, basedOn: 1, createdAt: 1, updatedAt: 1 }).lean<Omit<RevisionRecord, 'clauses' | 'edits'>>();
  if (!r) throw new NotFound(messages.revisionNotFound);
  return r;
}

export async function getRevision(doc: Pick<DocumentRecord, '_id'>, number: number): Promise<RevisionRecord> {
  if (!Number.isInteger(number) || number < 1) throw new NotFound(messages.revisionNotFound);
  const r = await Revision.findOne({ document: doc._id, number }).select(revisionFields).lean<RevisionRecord>();
  if (!r) throw new NotFound(messages.revisionNotFound);
  return r;
}

/**
 * The revisions the caller may read. The committee reads them all; everybody else only the published
 * text of a published (or withdrawn) document — its draft revisions stay the committee's.
 */
export async function revisionsVisibleTo(actor: CurrentUser | undefined, doc: DocumentRecord): Promise<Pick<RevisionRecord, 'number' | 'frozen' | 'frozenAt' | 'createdAt' | 'updatedAt'>[]> {
  const all = await listRevisions(doc);
  return seesDrafts(actor) ? all : all.filter((r) => r.number === doc.publication?.revision);
}

/** Every revision of the document, for the system's own use (see revisionsVisibleTo for callers). */
export async function listRevisions(doc: DocumentRecord): Promise<Pick<RevisionRecord, 'number' | 'frozen' | 'frozenAt' | 'createdAt' | 'updatedAt'>[]> {
  return Revision.find({ document: doc._id }).select({ number: 1, frozen: 1, frozenAt: 1, createdAt: 1, updatedAt: 1 }).sort({ number: 1 }).lean();
}

/** The events of a published standard's life that are public; the rest of its history is the committee's. */
const publicEvents: ReadonlySet<string> = new Set(['publish', 'amend', 'supersede', 'withdraw']);

/**
 * The history the caller may read: the committee all of it; everybody else the publication, amendment,
 * supersession and withdrawal events — never the ballot, the votes or the secretariat's notes (a
 * withdrawal's reason is public, in the catalogue, so it stays).
 */
export function historyFor(actor: CurrentUser | undefined, doc: Pick<DocumentRecord, 'history'>): HistoryEvent[] {
  if (seesDrafts(actor)) return doc.history;
  return doc.history
    .filter((e) => publicEvents.has(e.action))
    .map(({ note, ...e }) => (e.action === 'withdraw' && note ? { ...e, note } : e));
}

/** Refuses (as "not found") a revision the caller may not read: see listRevisions. */
export function checkRevisionVisible(actor: CurrentUser | undefined, doc: DocumentRecord, number: number): void {
  if (!seesDrafts(actor) && number !== doc.publication?.revision) throw new NotFound(messages.revisionNotFound);
}

export interface DocumentDetails {
  titleRu: string;
  titleEn: string;
  productGroup: string;
  ics: string;
  developer: string;
}

async function checkProductGroup(code: string): Promise<void> {
  if (!(await activeProductGroup(code))) throw new InvalidInput(messages.unknownProductGroup, {}, { productGroup: messages.unknownProductGroup });
}

/** A new draft from a template: revision 1 holds the template's skeleton with fresh clause keys. */
export async function createDocument(actor: CurrentUser, templates: readonly Template[], input: DocumentDetails & { kind: string }, now: Date): Promise<DocumentRecord> {
  const template = templates.find((t) => t.id === input.kind);
  if (!template) throw new InvalidInput(messages.unknownTemplate, {}, { kind: messages.unknownTemplate });
  await checkProductGroup(input.productGroup);
  const _id = new mongoose.Types.ObjectId();
  // Revision first: a crash before the document exists leaves an orphan revision nobody can reach,
  // never a document without its text.
  await Revision.create({ document: _id, number: 1, clauses: clausesFromTemplate(template, 'ru'), createdBy: actor.id });
  await DocumentModel.create({
    _id,
    titles: { ru: input.titleRu, en: input.titleEn },
    kind: template.id,
    productGroup: input.productGroup,
    ics: input.ics,
    developer: input.developer,
    state: 'draft',
    stage: stageOf('draft', 0),
    round: 0,
    currentRevision: 1,
    history: [historyEvent({ at: now, actor, action: 'create', revision: 1, to: 'draft' })],
    createdBy: actor.id,
  });
  return getDocument(actor, String(_id));
}

/**
 * The draft that amends a published document: revision 1 is a copy of the published revision's clauses
 * (same keys, so comments and redlines follow them), and the draft names the document it supersedes.
 * Its id is chosen by the caller, so a retry after a crash finds (or completes) the same draft.
 */
export async function createSuccessorDraft(actor: CurrentUser, source: DocumentRecord, revisionNumber: number, id: mongoose.Types.ObjectId, now: Date): Promise<DocumentRecord> {
  const published = await getRevision(source, revisionNumber);
  const ignoreDuplicate = (err: unknown) => {
    if ((err as { code?: number }).code !== 11000) throw err;
  };
  await Revision.create({ document: id, number: 1, clauses: published.clauses, createdBy: actor.id }).catch(ignoreDuplicate);
  await DocumentModel.create({
    _id: id,
    titles: source.titles,
    kind: source.kind,
    productGroup: source.productGroup,
    ics: source.ics,
    developer: source.developer,
    state: 'draft',
    stage: stageOf('draft', 0),
    round: 0,
    currentRevision: 1,
    supersedes: source._id,
    history: [historyEvent({ at: now, actor, action: 'create', revision: 1, to: 'draft', note: source.designation ?? undefined })],
    createdBy: actor.id,
  }).catch(ignoreDuplicate);
  return getDocument(actor, String(id));
}

export async function updateDocumentDetails(actor: CurrentUser, id: string, input: DocumentDetails, now: Date): Promise<void> {
  const doc = await getDocument(actor, id);
  if (!STATES[doc.state].editable) throw new InvalidTransition(messages.notEditable, { state: doc.state });
  await checkProductGroup(input.productGroup);
  const r = await DocumentModel.updateOne(
    { _id: doc._id, state: doc.state },
    { $set: { titles: { ru: input.titleRu, en: input.titleEn }, productGroup: input.productGroup, ics: input.ics, developer: input.developer }, $push: pushEvent(historyEvent({ at: now, actor, action: 'editDetails', revision: doc.currentRevision })) },
  );
  if (r.matchedCount === 0) throw new Conflict(messages.movedMeanwhile);
}

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

/** Edits made to a revision after the version an editor saw, newest last. */
export function editsSince(rev: Pick<RevisionRecord, 'edits'>, version: number): RevisionRecord['edits'] {
  return rev.edits.filter((e) => e.version > version);
}

/**
 * Applies one clause edit to the working revision, only if nobody saved since `baseVersion`; otherwise
 * a Conflict carries what the others changed, so the editor can see it before trying again.
 */
export async function editClauses(actor: CurrentUser, templates: readonly Template[], id: string, baseVersion: number, action: ClauseAction, now: Date): Promise<{ version: number; key: string }> {
  const doc = await getDocument(actor, id);
  if (!STATES[doc.state].editable) throw new InvalidTransition(messages.notEditable, { state: doc.state });
  const rev = await getRevision(doc, doc.currentRevision);
  if (rev.frozen) throw new RevisionFrozen(rev.number);
  if (rev.version !== baseVersion) throw new EditConflict(editsSince(rev, baseVersion));
  let result;
  try {
    result = apply(rev.clauses, action, templates.find((t) => t.id === doc.kind));
  } catch (err) {
    if (err instanceof ClauseOperationError) {
      // The clause the address names is not there: not found. The clause to insert after is not there
      // (deleted meanwhile): the request conflicts with the revision as it now is.
      if (err.code === 'notFound' && action.type !== 'insert') throw new NotFound('clauses.error.notFound', { detail: err.message });
      if (err.code === 'notFound') throw new Conflict('clauses.error.notFound', { detail: err.message }, { afterKey: 'clauses.error.notFound' });
      const field = err.issues[0]?.field;
      throw new InvalidInput(`clauses.error.${err.issues[0]?.code ?? err.code}`, { detail: err.message }, field ? { [field]: `clauses.issue.${err.issues[0].code}` } : undefined);
    }
    throw err;
  }
  const edit = { version: baseVersion + 1, at: now, by: new mongoose.Types.ObjectId(actor.id), byName: actor.name, action: action.type === 'move' ? `move-${action.direction}` : action.type, clauseKey: result.key };
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
 * After circulation the text is frozen; editing goes on in revision N+1, a copy of N with the same
 * clause keys. Resumable: a crash between the two writes is finished by the next call.
 */
export async function startNewRevision(actor: CurrentUser, id: string, now: Date): Promise<number> {
  const doc = await getDocument(actor, id);
  if (!STATES[doc.state].editable) throw new InvalidTransition(messages.notEditable, { state: doc.state });
  const current = await getRevision(doc, doc.currentRevision);
  if (!current.frozen) throw new Conflict(messages.nothingToStart, { number: current.number });
  const number = current.number + 1;
  try {
    await Revision.create({ document: doc._id, number, clauses: current.clauses, basedOn: current.number, createdBy: actor.id });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  const r = await DocumentModel.updateOne(
    { _id: doc._id, currentRevision: current.number, state: doc.state },
    { $set: { currentRevision: number }, $push: pushEvent(historyEvent({ at: now, actor, action: 'newRevision', revision: number })) },
  );
  if (r.matchedCount === 0) throw new Conflict(messages.revisionStarted, { number });
  return number;
}

/**
 * Problems that block circulating the current revision: clause rules, references to missing clauses,
 * and characters that no font of the PDFs prints (in the clauses and, given the document, its titles).
 */
export function revisionProblems(clauses: readonly Clause[], doc?: DocumentTexts): { issues: ReturnType<typeof validateClauses>; dangling: ReturnType<typeof danglingReferences>; unprintable: Unprintable[] } {
  return { issues: validateClauses(clauses), dangling: danglingReferences(clauses), unprintable: unprintableInRevision(clauses, committeeCoverage(), doc) };
}

export async function compare(actor: CurrentUser | undefined, id: string, from: number, to: number): Promise<{ doc: DocumentRecord; comparison: RevisionComparison; from: RevisionRecord; to: RevisionRecord }> {
  const doc = await getDocument(actor, id);
  // Outside the committee one published text has nothing to be compared with in its own document:
  // the changes between editions are the catalogue's (server/catalogue/changes.ts).
  checkRevisionVisible(actor, doc, from);
  checkRevisionVisible(actor, doc, to);
  if (!seesDrafts(actor)) throw new NotFound(messages.revisionNotFound);
  const [a, b] = await Promise.all([getRevision(doc, from), getRevision(doc, to)]);
  return { doc, comparison: compareRevisions(a.clauses, b.clauses), from: a, to: b };
}

/**
 * What changed from one published edition to the next: the published text of the document `newerId`
 * supersedes against its own published text. Public, like both texts; drafts never enter it.
 */
export async function compareEditions(actor: CurrentUser | undefined, newerId: string): Promise<{ doc: DocumentRecord; older: DocumentRecord; comparison: RevisionComparison; from: RevisionRecord; to: RevisionRecord }> {
  const doc = await getDocument(actor, newerId);
  if (!doc.publication || !doc.supersedes) throw new NotFound(messages.notFound);
  const older = await getDocument(actor, String(doc.supersedes));
  if (!older.publication) throw new NotFound(messages.notFound);
  const [a, b] = await Promise.all([getRevision(older, older.publication.revision), getRevision(doc, doc.publication.revision)]);
  return { doc, older, comparison: compareRevisions(a.clauses, b.clauses), from: a, to: b };
}

