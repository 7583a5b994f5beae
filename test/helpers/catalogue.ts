// Published documents for catalogue tests.
//
// TEST SHORTCUT: makePublishedDocument does not run a ballot, render a PDF or store a file. It makes a
// draft through the documents service (so the text is a real template text), then writes the fields a
// publication leaves behind — state, stage, designation, publication {designation, revision,
// publishedAt, entryIntoForce, fileId, sha256, size} — straight into the database, computes the search
// fields with the catalogue's own indexDocument, and bumps the catalogue's version counter, exactly as
// the catalogue's listener does after a real publication. The file id points at no stored file, so
// GET /catalogue/:id/pdf has nothing to serve for these documents.
//
// publishThroughWorkflow / withdrawThroughWorkflow go the way the publishing
// feature goes instead: the lifecycle's 'publish' | 'withdraw' moves with { set }, so the
// catalogue's listener (search fields, version, e-mails) runs as it does for real.
import { addDays, dayOf, type Day } from '../../server/time/days.js';
import { createHash, randomInt } from 'node:crypto';
import { mongoose } from '../../server/db/mongoose.js';
import { insertAfter, newClauseKey, type Clause } from '../../server/text/clauses.js';
import { DocumentModel, Revision } from '../../server/documents/model.js';
import { createDocument } from '../../server/documents/index.js';
import { transition } from './app.js';
import { catalogueChanged, indexDocument } from '../../server/catalogue/store.js';
import { actorOf, makeUser, type MadeUser } from './factories.js';
import { testEnv } from './env.js';
import { finished } from './finished-text.js';

let serial = randomInt(10_000, 80_000);
/** A designation no other test (and no real numbering, which starts at 1) will take. */
export function uniqueDesignation(year = 2027): string {
  return `СТ СГ ${serial++}-${year}`;
}

export interface RequirementSpec {
  parameter: string;
  value?: string;
  min?: number;
  max?: number;
  nominal?: number;
  tolerance?: number;
  unit?: string;
  /** A test method clause of the template (default: 'methods-conditions'); null for none. */
  methodKey?: string | null;
  heading?: string;
}

export interface DraftSpec {
  titleRu?: string;
  titleEn?: string;
  productGroup?: string;
  ics?: string;
  /** Replaces the body of the scope clause. */
  scope?: string;
  requirements?: RequirementSpec[];
  /** Revisions before the published one (each a frozen copy): 1 gives a document with revisions 1 and 2. */
  earlierRevisions?: number;
  by?: MadeUser;
}

export interface PublishSpec {
  designation?: string;
  publishedAt?: Date;
  entryIntoForce?: Record<string, Day>;
}

export interface MadeDraft {
  id: string;
  by: MadeUser;
  revision: number;
}

/** A draft with the given titles, scope and requirement clauses, through the documents service. */
export async function makeDraftWithText(spec: DraftSpec = {}): Promise<MadeDraft> {
  const by = spec.by ?? (await makeUser('secretariat'));
  const doc = await createDocument(actorOf(by), testEnv().templates, {
    kind: 'general-technical-requirements',
    titleRu: spec.titleRu ?? 'Микросхемы интегральные. Общие технические требования',
    titleEn: spec.titleEn ?? 'Integrated circuits. General technical requirements',
    productGroup: spec.productGroup ?? 'integrated-circuits',
    ics: spec.ics ?? '31.200',
    developer: 'ОАО «ИНТЕГРАЛ»',
  }, new Date());
  const first = await Revision.findOne({ document: doc._id, number: 1 }).select({ clauses: 1 }).lean<{ clauses: Clause[] }>();
  let clauses = finished(first!.clauses);
  if (spec.scope !== undefined) clauses = clauses.map((c) => (c.key === 'scope' ? { ...c, body: spec.scope } : c));
  let after = 'parameters-note';
  for (const r of spec.requirements ?? []) {
    const key = newClauseKey();
    const { heading, methodKey, ...requirement } = r;
    const method = methodKey === undefined ? 'methods-conditions' : methodKey;
    clauses = insertAfter(clauses, after, {
      key, depth: 2, kind: 'requirement', ...(heading ? { heading } : {}),
      requirement: { ...requirement, ...(method ? { methodKey: method } : {}) },
    } as Clause);
    after = key;
  }
  await Revision.updateOne({ document: doc._id, number: 1 }, { $set: { clauses } });
  let revision = 1;
  for (let i = 0; i < (spec.earlierRevisions ?? 0); i++) {
    await Revision.updateOne({ document: doc._id, number: revision }, { $set: { frozen: true, frozenAt: new Date() } });
    revision++;
    await Revision.create({ document: doc._id, number: revision, clauses, basedOn: revision - 1 });
  }
  if (revision > 1) await DocumentModel.updateOne({ _id: doc._id }, { $set: { currentRevision: revision } });
  return { id: String(doc._id), by, revision };
}

function publicationOf(revision: number, spec: PublishSpec) {
  const designation = spec.designation ?? uniqueDesignation();
  const publishedAt = spec.publishedAt ?? new Date();
  return {
    designation,
    set: {
      designation,
      publication: {
        designation,
        revision,
        publishedAt,
        entryIntoForce: spec.entryIntoForce ?? { BY: addDays(dayOf(publishedAt), 90), RU: addDays(dayOf(publishedAt), 120) },
        fileId: new mongoose.Types.ObjectId(),
        sha256: createHash('sha256').update(designation).digest('hex'),
        size: 1_234_567,
      },
    },
  };
}

/** TEST SHORTCUT (see the top of this file): a published document, fields set directly. */
export async function makePublishedDocument(spec: DraftSpec & PublishSpec & { supersedes?: string } = {}): Promise<MadeDraft & { designation: string }> {
  const draft = await makeDraftWithText(spec);
  const { designation, set } = publicationOf(draft.revision, spec);
  await Revision.updateOne({ document: draft.id, number: draft.revision }, { $set: { frozen: true, frozenAt: new Date() } });
  await DocumentModel.updateOne(
    { _id: draft.id },
    { $set: { ...set, state: 'published', stage: '60.60', round: 1, ...(spec.supersedes ? { supersedes: new mongoose.Types.ObjectId(spec.supersedes) } : {}) } },
  );
  if (spec.supersedes) {
    await DocumentModel.updateOne(
      { _id: spec.supersedes },
      { $set: { state: 'withdrawn', stage: '95.99', supersededBy: new mongoose.Types.ObjectId(draft.id) } },
    );
  }
  await indexDocument(draft.id);
  await catalogueChanged();
  return { ...draft, designation };
}

/** TEST SHORTCUT: withdraws a published document directly (as 'withdraw' would), with the date and reason. */
export async function withdrawDirectly(id: string, reason = 'Утратил актуальность', at = new Date()): Promise<void> {
  await DocumentModel.updateOne({ _id: id }, { $set: { state: 'withdrawn', stage: '95.99', withdrawal: { date: dayOf(at), reason, recordedAt: at } } });
  await catalogueChanged();
}

/** Marks a draft approved directly (the ballot is not what these tests are about). */
export async function approveDirectly(id: string): Promise<void> {
  await DocumentModel.updateOne({ _id: id }, { $set: { state: 'approved', stage: '50.60', round: 1 } });
}

/** The publishing feature's last step: transition 'publish' with the publication record. */
export async function publishThroughWorkflow(draft: MadeDraft, spec: PublishSpec & { supersedes?: string } = {}): Promise<string> {
  await approveDirectly(draft.id);
  if (spec.supersedes) await DocumentModel.updateOne({ _id: draft.id }, { $set: { supersedes: new mongoose.Types.ObjectId(spec.supersedes) } });
  await Revision.updateOne({ document: draft.id, number: draft.revision }, { $set: { frozen: true, frozenAt: new Date() } });
  const { designation, set } = publicationOf(draft.revision, spec);
  // dedicated: this stands in for the publishing use-case, whose last step is exactly this move.
  await transition(actorOf(draft.by), draft.id, 'publish', { now: new Date(), dedicated: true, set });
  return designation;
}

export async function withdrawThroughWorkflow(id: string, by: MadeUser, reason: string, at = new Date()): Promise<void> {
  await transition(actorOf(by), id, 'withdraw', { now: new Date(), dedicated: true, set: { withdrawal: { date: dayOf(at), reason, recordedAt: at } }, note: reason });
}

