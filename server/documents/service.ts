// The documents as callers see them: lists, a document and its revisions, its history and redlines, each
// limited to what the caller may read. Drafting is in drafting.ts, clause editing in editing.ts, the
// system's own reads in records.ts; other features use all of them through index.ts.
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { NotFound } from '../errors.js';
import type { Role } from '../users/index.js';
import { DocumentModel, documentFields, Revision, type DocumentRecord, type HistoryEvent, type RevisionRecord } from './model.js';
import { compareRevisions, type RevisionComparison } from '../text/redline.js';
import { STATES, type DocumentState } from '../lifecycle/table.js';
import { readPage, type PageSlice } from '../http/paging.js';

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
  invalidImport: 'draftImport.invalidClauses',
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

/** The lists' order: the newest change first; documents changed at the same moment by _id, alike on every page. */
const listOrder = { updatedAt: -1, _id: -1 } as const;

/**
 * One page of the documents the caller may see (the committee all of them, everybody else the published and
 * withdrawn), and how many there are; a page past the last is the last (server/http/paging.ts).
 */
export async function listDocuments(actor: CurrentUser | undefined, page: number, pageSize: number): Promise<{ documents: DocumentSummary[]; slice: PageSlice }> {
  const all = seesDrafts(actor);
  const filter: Record<string, unknown> = all ? {} : { state: mongoose.trusted({ $in: publicStates() }) };
  const count = all ? DocumentModel.estimatedDocumentCount() : DocumentModel.countDocuments(filter);
  const { rows, slice } = await readPage(count, (skip, limit) => DocumentModel.find(filter).select(summaryFields).sort(listOrder).skip(skip).limit(limit).lean<DocumentSummary[]>(), page, pageSize);
  return { documents: rows, slice };
}

/** Every document in one of these states that the caller may see, the newest change first (a meeting's agenda candidates). */
export async function listDocumentsInStates(actor: CurrentUser | undefined, states: readonly DocumentState[]): Promise<DocumentSummary[]> {
  const visible = seesDrafts(actor) ? states : states.filter((s) => STATES[s].public);
  return DocumentModel.find({ state: mongoose.trusted({ $in: [...visible] }) }).select(summaryFields).sort(listOrder).lean<DocumentSummary[]>();
}

/** A document the caller may see; one they may not is "not found", so its existence is not revealed. */
export async function getDocument(actor: CurrentUser | undefined, id: string): Promise<DocumentRecord> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound(messages.notFound);
  const doc = await DocumentModel.findById(id).select(documentFields).lean<DocumentRecord>();
  if (!doc || (!seesDrafts(actor) && !STATES[doc.state].public)) throw new NotFound(messages.notFound);
  return doc;
}

/**
 * Only some fields of a document the caller may see, for a rule that needs those and no more (a comment
 * needs the state, round, comment period and released positions: server/comments/service.ts). Not found
 * exactly when getDocument would say so.
 */
export async function getDocumentFields<K extends keyof DocumentRecord>(actor: CurrentUser | undefined, id: string, fields: Partial<Record<K, 1>>): Promise<Pick<DocumentRecord, K | '_id' | 'state'>> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound(messages.notFound);
  // Straight from the driver, as a lean query would read it (a comment's POST reads this each time).
  const doc = await DocumentModel.collection.findOne<Pick<DocumentRecord, K | '_id' | 'state'>>({ _id: new mongoose.Types.ObjectId(id) }, { projection: { ...(fields as Record<string, 1>), state: 1 } });
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
export async function revisionsVisibleTo(actor: CurrentUser | undefined, doc: DocumentRecord): Promise<RevisionHeader[]> {
  return visibleRevisions(actor, doc, await listRevisions(doc));
}

/** Of the document's revisions, those the caller may see: outside the committee, the published one only. */
export function visibleRevisions<R extends Pick<RevisionRecord, 'number'>>(actor: CurrentUser | undefined, doc: DocumentRecord, all: R[]): R[] {
  return seesDrafts(actor) ? all : all.filter((r) => r.number === doc.publication?.revision);
}

export type RevisionHeader = Omit<RevisionRecord, 'clauses' | 'edits'>;
const headerFields = { document: 1, number: 1, frozen: 1, frozenAt: 1, version: 1, basedOn: 1, createdAt: 1, updatedAt: 1 } as const;

/** Every revision of the document without its text, in order, for the system's own use (see revisionsVisibleTo for callers). */
export async function listRevisions(doc: DocumentRecord): Promise<RevisionHeader[]> {
  return Revision.find({ document: doc._id }).select(headerFields).sort({ number: 1 }).lean<RevisionHeader[]>();
}

/** Two revisions' headers in one read (a comparison's), or "not found" if either is missing. */
export async function getRevisionHeaders(doc: DocumentRecord, a: number, b: number): Promise<[RevisionHeader, RevisionHeader]> {
  if (![a, b].every((n) => Number.isInteger(n) && n >= 1)) throw new NotFound(messages.revisionNotFound);
  const found = await Revision.find({ document: doc._id, number: mongoose.trusted({ $in: [a, b] }) }).select(headerFields).lean<RevisionHeader[]>();
  const ra = found.find((r) => r.number === a);
  const rb = found.find((r) => r.number === b);
  if (!ra || !rb) throw new NotFound(messages.revisionNotFound);
  return [ra, rb];
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

