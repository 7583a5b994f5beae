import type { CurrentUser } from '../auth/current-user.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound } from '../errors.js';
import type { Role } from '../users/model.js';
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
import { DocumentModel, Revision, type DocumentRecord, type HistoryEvent, type RevisionRecord } from './model.js';
import { activeProductGroup } from './product-groups.js';
import { committeeSettings } from '../committee/settings.js';
import { compareRevisions, type RevisionComparison } from '../text/redline.js';
import { clausesFromTemplate, missingMandatoryClauses, type Template } from './templates.js';
import { checkTransition, STATES, stageOf, type WorkflowContext } from './workflow.js';
import { committeeCoverage, unprintableInRevision, UnprintableText, type DocumentTexts, type Unprintable } from '../pdf/glyphs.js';

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

export const documentFields = {
  titles: 1, kind: 1, productGroup: 1, ics: 1, developer: 1, state: 1, stage: 1, round: 1, currentRevision: 1, rev: 1, history: 1, commentPeriod: 1, ballotPeriod: 1,
  designation: 1, publication: 1, supersedes: 1, supersededBy: 1, withdrawal: 1, createdAt: 1, updatedAt: 1,
} as const;
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

/** A document the caller may see; one they may not is "not found", so its existence is not revealed. */
export async function getDocument(actor: CurrentUser | undefined, id: string): Promise<DocumentRecord> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound(messages.notFound);
  const doc = await DocumentModel.findById(id).select(documentFields).lean<DocumentRecord>();
  if (!doc || (!seesDrafts(actor) && !STATES[doc.state].public)) throw new NotFound(messages.notFound);
  return doc;
}

/** For the system's own moves (deadlines, tallies): no caller whose view limits what is found. */
async function loadDocument(id: string): Promise<DocumentRecord> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound(messages.notFound);
  const doc = await DocumentModel.findById(id).select(documentFields).lean<DocumentRecord>();
  if (!doc) throw new NotFound(messages.notFound);
  return doc;
}

/** Which revision, and at which edit version, without its text: enough to find derived values cached. */
export async function getRevisionHeader(doc: DocumentRecord, number: number): Promise<Omit<RevisionRecord, 'clauses' | 'edits'>> {
  if (!Number.isInteger(number) || number < 1) throw new NotFound(messages.revisionNotFound);
  const r = await Revision.findOne({ document: doc._id, number }).select({ document: 1, number: 1, frozen: 1, frozenAt: 1, version: 1, basedOn: 1, createdAt: 1, updatedAt: 1 }).lean<Omit<RevisionRecord, 'clauses' | 'edits'>>();
  if (!r) throw new NotFound(messages.revisionNotFound);
  return r;
}

export async function getRevision(doc: DocumentRecord, number: number): Promise<RevisionRecord> {
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

function event(at: Date, actor: CurrentUser | null, action: string, revision: number, from: DocumentRecord['state'] | null, to: DocumentRecord['state'] | null, note?: string): HistoryEvent {
  return {
    at,
    by: actor ? new mongoose.Types.ObjectId(actor.id) : null,
    byName: actor?.name ?? 'Accord',
    action,
    from,
    to,
    revision,
    ...(note ? { note } : {}),
  };
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
    history: [event(now, actor, 'create', 1, null, 'draft')],
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
    history: [event(now, actor, 'create', 1, null, 'draft', source.designation ?? undefined)],
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
    { $set: { titles: { ru: input.titleRu, en: input.titleEn }, productGroup: input.productGroup, ics: input.ics, developer: input.developer }, $push: { history: event(now, actor, 'editDetails', doc.currentRevision, null, null) } },
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
    { $set: { currentRevision: number }, $push: { history: event(now, actor, 'newRevision', number, null, null) } },
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

export interface TransitionOptions {
  /** The instant of the move: its history event, the periods it opens and their deadline checks. */
  now: Date;
  note?: string;
  /** The document's rev the caller decided on; a newer rev means someone else acted first. */
  rev?: number;
  /** Comment deadline when circulating; ballot closing date when opening the ballot. */
  closesAt?: Date;
  /** Fields another feature sets in the same update as the move (e.g. the publication record). */
  set?: Record<string, unknown>;
  /** Set by the use-case that owns a dedicated move (publishing): the generic path may not make it. */
  dedicated?: boolean;
}

/** Moves with a form and a use-case of their own (server/publishing): the generic path says where to go. */
const DEDICATED_MOVES: Readonly<Record<string, string>> = { publish: 'publishing.useForm.publish', amend: 'publishing.useForm.amend', withdraw: 'publishing.useForm.withdraw', supersede: 'publishing.useForm.supersede' };

/** Facts from other features that guards read; the comment and ballot features supply theirs. */
export type ContextProvider = (doc: DocumentRecord) => Promise<Partial<WorkflowContext>>;
const contextProviders: ContextProvider[] = [];
export function registerContextProvider(p: ContextProvider): void {
  contextProviders.push(p);
}

/** Other features react to moves (e-mails, ballots) without the workflow knowing them. */
export type TransitionListener = (event: { actor: CurrentUser | null; name: string; before: DocumentRecord; after: DocumentRecord }) => Promise<void> | void;
const transitionListeners: TransitionListener[] = [];
export function onTransition(listener: TransitionListener): void {
  transitionListeners.push(listener);
}

/** What blocks a guard, item by item, so a refusal can list it with links (e.g. open comments). */
export type GuardDetails = (doc: DocumentRecord) => Promise<{ label: string; href: string }[]>;
const guardDetails = new Map<string, GuardDetails>();
export function registerGuardDetails(guard: string, details: GuardDetails): void {
  guardDetails.set(guard, details);
}
export async function detailsOfGuard(guard: string, doc: DocumentRecord): Promise<{ label: string; href: string }[]> {
  return (await guardDetails.get(guard)?.(doc)) ?? [];
}

async function contextFor(doc: DocumentRecord, now: Date): Promise<{ context: WorkflowContext; unprintable: Unprintable[] }> {
  const rev = await getRevision(doc, doc.currentRevision);
  const { issues, dangling, unprintable } = revisionProblems(rev.clauses, doc);
  let context: WorkflowContext = {
    openComments: 0,
    revisionIssues: issues.length + dangling.length + unprintable.length,
    deadlinePassed: !!doc.commentPeriod && doc.commentPeriod.closesAt.getTime() <= now.getTime(),
  };
  for (const p of contextProviders) context = { ...context, ...(await p(doc)) };
  return { context, unprintable };
}

/**
 * Moves a document along the workflow: the table decides whether the move is allowed, and one
 * conditional update makes it and appends the history event, so of two simultaneous moves one wins.
 */
export async function transition(actor: CurrentUser | null, id: string, name: string, opts: TransitionOptions): Promise<DocumentRecord> {
  const { now } = opts;
  if (actor && actor.role !== 'secretariat') throw new Forbidden('errors.forbidden');
  if (DEDICATED_MOVES[name] && !opts.dedicated) throw new InvalidTransition(DEDICATED_MOVES[name], { id });
  const doc = await loadDocument(id);
  const { context, unprintable } = await contextFor(doc, now);
  const check = checkTransition({ state: doc.state, name, actor: actor ? 'secretariat' : 'system', context, round: doc.round });
  if (!check.ok) {
    if (check.reason === 'forbiddenActor') throw new Forbidden('errors.forbidden');
    // A character no font prints is named with its clause: the person can act on that at once.
    if (check.reason === 'guard' && check.guard === 'revisionValid' && unprintable.length) throw new UnprintableText(unprintable);
    if (check.reason === 'guard') throw new GuardRefusal(check.guard!, { count: context.openComments });
    throw new InvalidTransition(`workflow.reason.${check.reason}`, { state: doc.state, name });
  }
  if (opts.rev !== undefined && opts.rev !== doc.rev) throw new Conflict(messages.movedMeanwhile);
  const set: Record<string, unknown> = { ...opts.set, state: check.to, stage: check.stage, round: check.round };
  if (name === 'circulate') {
    const closesAt = opts.closesAt ?? new Date(now.getTime() + 60 * 86400_000);
    if (closesAt.getTime() <= now.getTime()) throw new InvalidInput(messages.deadlineInPast, {}, { closesAt: messages.deadlineInPast });
    set.commentPeriod = { revision: doc.currentRevision, opensAt: now, closesAt };
  }
  if (name === 'openBallot') {
    const settings = await committeeSettings();
    const closesAt = opts.closesAt ?? new Date(now.getTime() + settings.ballotDays * 86400_000);
    if (closesAt.getTime() <= now.getTime()) throw new InvalidInput(messages.deadlineInPast, {}, { closesAt: messages.deadlineInPast });
    set.ballotPeriod = { revision: doc.currentRevision, opensAt: now, closesAt, rule: settings.approvalRule };
  }
  if (check.transition.freezesRevision) {
    // Idempotent, and done first: a crash after it leaves a frozen text and an unmoved document, which
    // the next attempt completes.
    await Revision.updateOne({ document: doc._id, number: doc.currentRevision, frozen: false }, { $set: { frozen: true, frozenAt: now } });
  }
  const moved = await DocumentModel.findOneAndUpdate(
    { _id: doc._id, state: doc.state, rev: doc.rev },
    { $set: set, $inc: { rev: 1 }, $push: { history: event(now, actor, name, doc.currentRevision, doc.state, check.to, opts.note) } },
    { returnDocument: 'after', projection: documentFields },
  ).lean<DocumentRecord>();
  if (!moved) throw new Conflict(messages.movedMeanwhile);
  for (const listener of transitionListeners) await listener({ actor, name, before: doc, after: moved });
  return moved;
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

/** A transition refused by a guard; `guard` names which, so a page can list what blocks it. */
export class GuardRefusal extends InvalidTransition {
  constructor(readonly guard: string, params: Record<string, string | number>) {
    super(`workflow.guard.${guard}`, params);
  }
}
