// Drafts and their revisions: a new draft from a template or from a Word file, the successor that amends a published document,
// the details of a draft, and the next revision once the current one is frozen.
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, InvalidInput, InvalidTransition } from '../errors.js';
import { historyEvent, pushEvent } from '../lifecycle/history.js';
import { STATES, stageOf } from '../lifecycle/table.js';
import { DocumentModel, Revision, type DocumentRecord } from './model.js';
import { activeProductGroup } from './product-groups.js';
import { getDocument, getRevision, messages } from './service.js';
import { clausesFromTemplate, type Template } from './templates.js';
import { newTargets } from './targets.js';
import { validateClauses, type Clause } from '../text/clauses.js';

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
  const template = templateOf(templates, input.kind);
  await checkProductGroup(input.productGroup);
  return insertDraft(actor, template, input, clausesFromTemplate(template, 'ru'), new mongoose.Types.ObjectId(), now);
}

function templateOf(templates: readonly Template[], kind: string): Template {
  const template = templates.find((t) => t.id === kind);
  if (!template) throw new InvalidInput(messages.unknownTemplate, {}, { kind: messages.unknownTemplate });
  return template;
}

/**
 * A new draft whose revision 1 holds clauses read from a file (docs/draft-import.md), under
 * an id the caller chose at upload: a confirmation retried after a crash finds (or completes) the same draft.
 * The clauses must keep the clause rules; the check of the draft (docs/quality.md) lists what is left to do.
 */
export async function createImportedDocument(actor: CurrentUser, templates: readonly Template[], input: DocumentDetails & { kind: string }, clauses: Clause[], id: mongoose.Types.ObjectId, fileName: string, now: Date): Promise<DocumentRecord> {
  const template = templateOf(templates, input.kind);
  await checkProductGroup(input.productGroup);
  if (validateClauses(clauses).length) throw new InvalidInput(messages.invalidImport);
  return insertDraft(actor, template, input, clauses, id, now, fileName);
}

async function insertDraft(actor: CurrentUser, template: Template, input: DocumentDetails, clauses: Clause[], _id: mongoose.Types.ObjectId, now: Date, importedFrom?: string): Promise<DocumentRecord> {
  const ignoreDuplicate = (err: unknown) => {
    if (!importedFrom || (err as { code?: number }).code !== 11000) throw err;
  };
  // Revision first: a crash before the document exists leaves an orphan revision nobody can reach,
  // never a document without its text.
  await Revision.create({ document: _id, number: 1, clauses, createdBy: actor.id }).catch(ignoreDuplicate);
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
    targets: await newTargets(now),
    history: [historyEvent({ at: now, actor, action: 'create', revision: 1, to: 'draft', ...(importedFrom !== undefined ? { note: importedFrom || 'DOCX' } : {}) })],
    createdBy: actor.id,
  }).catch(ignoreDuplicate);
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
    targets: await newTargets(now),
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
 * An amendment's draft (docs/amendments.md): revision 1 is a copy of the standard's published text (same
 * keys), which the secretariat edits clause by clause; what differs from the standard is the amendment's
 * list of changes (server/text/amendment.ts). Its id is chosen by the caller, so a retry finds the same draft.
 */
export async function createAmendmentDraft(actor: CurrentUser, standard: DocumentRecord, id: mongoose.Types.ObjectId, now: Date): Promise<DocumentRecord> {
  if (!standard.publication || !standard.designation) throw new InvalidTransition('publishing.notPublished', { state: standard.state });
  const published = await getRevision(standard, standard.publication.revision);
  const ignoreDuplicate = (err: unknown) => {
    if ((err as { code?: number }).code !== 11000) throw err;
  };
  await Revision.create({ document: id, number: 1, clauses: published.clauses, createdBy: actor.id }).catch(ignoreDuplicate);
  await DocumentModel.create({
    _id: id,
    titles: { ru: `Изменение к ${standard.designation}. ${standard.titles.ru}`.slice(0, 500), en: `Amendment to ${standard.designation}. ${standard.titles.en}`.slice(0, 500) },
    kind: standard.kind,
    productGroup: standard.productGroup,
    ics: standard.ics,
    developer: standard.developer,
    state: 'draft',
    stage: stageOf('draft', 0),
    round: 0,
    currentRevision: 1,
    amends: standard._id,
    amendsRevision: standard.publication.revision,
    targets: await newTargets(now),
    history: [historyEvent({ at: now, actor, action: 'create', revision: 1, to: 'draft', note: standard.designation })],
    createdBy: actor.id,
  }).catch(ignoreDuplicate);
  return getDocument(actor, String(id));
}
