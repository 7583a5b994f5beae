// Amendments to a published standard (docs/amendments.md). startAmendment makes the amendment's draft from
// the standard's published text; it then goes through comments and ballot like any draft (the lifecycle's
// table, unchanged). Its publication is one resumable operation whose steps are each keyed by a unique
// field, like a standard's (service.ts):
//   number («Изменение № N к …», N counted per standard, under unique keys) → the amendment's PDF in the
//   GOST form of an amendment, signed and stored → the consolidated edition «Издание (год) с Изменением № N»
//   (the standard's text with exactly the changed clauses, a new frozen revision of the standard, its own
//   signed PDF under the file id chosen with the number) recorded on the standard → the 'publish' move of
//   the amendment, whose listeners tell the catalogue and its subscribers.
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { amendmentChangesOf as changesOf, amendmentState as documentState, createAmendmentDraft, getDocument, getRevision, recordConsolidatedEdition, type DocumentRecord, type RevisionRecord } from '../documents/index.js';
import { Conflict, InvalidTransition } from '../errors.js';
import { listDelegations } from '../delegations/service.js';
import { renderAmendmentPdf, type AmendmentPdfView } from '../pdf/amendment.js';
import { pdfBuffer } from '../pdf/document.js';
import { assertPrintable, glyphCoverage, unprintableInRevision } from '../pdf/glyphs.js';
import { translate } from '../i18n/index.js';
import { changeInstruction, clausePlainText, consolidate, type AmendmentChange } from '../text/amendment.js';
import type { Clause } from '../text/clauses.js';
import { committeeYear } from './designation.js';
import { Amendment, AmendmentClaim, AmendmentNumber, type AmendmentNumberRecord } from './model.js';
import { editionNote, publicationView, signedByLine, verifyUrl } from './render.js';
import { renderStandardPdf } from '../pdf/standard.js';
import { signPdf } from './signing/pades.js';
import type { SignerIdentity } from './signing/signer.js';
import { storedFile, storePdf, type StoredFile } from './storage.js';
import { checkEntryIntoForce, markPublished, messages, requireSecretariat, sameDates, type PublishInput, type PublishOptions } from './steps.js';

export interface StartAmendmentOptions {
  now: Date;
  /** The amendment's id, chosen by the caller so that a retry finds the same draft; a new one if absent. */
  id?: mongoose.Types.ObjectId;
}

/**
 * Starts an amendment («Изменение № N к СТ СГ 5-2026») of a published standard: a draft whose revision 1 is
 * the standard's current published text, which the secretariat then edits clause by clause (replace, add
 * after a clause, delete); the changes are what differs from the standard (server/text/amendment.ts). One
 * amendment at a time: while one is under way another is refused with its link. The service function the
 * systematic review's "amend" outcome calls (docs/amendments.md).
 */
export async function startAmendment(actor: CurrentUser, publishedDocumentId: string, opts: StartAmendmentOptions): Promise<DocumentRecord> {
  requireSecretariat(actor);
  const standard = await getDocument(actor, publishedDocumentId);
  if (standard.state !== 'published' || !standard.publication || standard.amends) throw new InvalidTransition(messages.notPublished, { state: standard.state });
  // A revision of the standard (a successor draft) under way would replace the text this amendment changes.
  const revising = await Amendment.findById(standard._id).select({ successor: 1 }).lean<{ successor: mongoose.Types.ObjectId }>();
  const revisingState = revising ? await documentState(revising.successor) : null;
  if (revising && revisingState && !['cancelled', 'published', 'withdrawn'].includes(revisingState)) throw new Conflict(messages.revisionUnderWay, { designation: standard.designation ?? '', id: String(revising.successor) });
  const claim = await claimAmendment(standard, opts);
  // Made already and open: this caller's own (a retry with its id) is the answer; anyone else's is under way.
  if (await amendmentState(claim)) {
    if (opts.id && String(opts.id) === String(claim)) return getDocument(actor, String(claim));
    throw new Conflict(messages.amendmentUnderWay, { designation: standard.designation ?? '', id: String(claim) });
  }
  // Not made yet: this attempt makes it — a double click's second request finds the same id, the same draft.
  return createAmendmentDraft(actor, standard, claim, opts.now);
}

/** The amendment's id the claim names: a fresh claim, the one under way, or a new one over a published or cancelled amendment. */
async function claimAmendment(standard: DocumentRecord, opts: StartAmendmentOptions): Promise<mongoose.Types.ObjectId> {
  const fresh = opts.id ?? new mongoose.Types.ObjectId();
  try {
    await AmendmentClaim.create({ _id: standard._id, amendment: fresh, at: opts.now });
    return fresh;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const claim = await AmendmentClaim.findById(standard._id).select({ amendment: 1 }).lean<{ amendment: mongoose.Types.ObjectId }>();
  if (!claim) throw new Conflict('documents.movedMeanwhile');
  const state = await documentState(claim.amendment);
  if (state !== 'published' && state !== 'cancelled' && state !== 'withdrawn') return claim.amendment;
  const taken = await AmendmentClaim.findOneAndUpdate({ _id: standard._id, amendment: claim.amendment }, { $set: { amendment: fresh, at: opts.now } }, { returnDocument: 'after', projection: { amendment: 1 } }).lean<{ amendment: mongoose.Types.ObjectId }>();
  if (!taken) throw new Conflict('documents.movedMeanwhile');
  return taken.amendment;
}

/** The state of the claimed amendment, or null while its draft is not made (server/documents/records.ts). */
async function amendmentState(id: mongoose.Types.ObjectId): Promise<string | null> {
  const state = await documentState(id);
  return state === 'published' || state === 'cancelled' || state === 'withdrawn' ? null : state;
}

const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;
const numberFields = { standard: 1, n: 1, designation: 1, document: 1, revision: 1, publishedAt: 1, entryIntoForce: 1, fileId: 1, editionFileId: 1, lease: 1, createdAt: 1 } as const;

/** The number the standard's next amendment will take («Подготовить изменение № N», server/publishing/pages.ts). */
export async function nextAmendmentNumber(standardId: mongoose.Types.ObjectId): Promise<number> {
  const last = await AmendmentNumber.findOne({ standard: standardId }).sort({ n: -1 }).select({ n: 1 }).lean<{ n: number }>();
  return (last?.n ?? 0) + 1;
}

/** The amendment's number: the one it took before, or the next of its standard. */
async function takeAmendmentNumber(amendment: DocumentRecord, standard: DocumentRecord, entryIntoForce: { code: string; date: string }[], now: Date): Promise<AmendmentNumberRecord> {
  await AmendmentNumber.createIndexes();
  const mine = () => AmendmentNumber.findOne({ document: amendment._id }).select(numberFields).lean<AmendmentNumberRecord>();
  for (let attempt = 0; attempt < 50; attempt++) {
    const existing = await mine();
    if (existing) return existing;
    const last = await AmendmentNumber.findOne({ standard: standard._id }).sort({ n: -1 }).select({ n: 1 }).lean<{ n: number }>();
    const n = (last?.n ?? 0) + 1;
    try {
      await AmendmentNumber.create({
        standard: standard._id, n, designation: `Изменение № ${n} к ${standard.designation}`, document: amendment._id, revision: amendment.currentRevision,
        publishedAt: now, entryIntoForce, fileId: new mongoose.Types.ObjectId(), editionFileId: new mongoose.Types.ObjectId(),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Conflict('publishing.numberBusy');
}

async function takeNumberLease(record: AmendmentNumberRecord, now: Date): Promise<string | null> {
  const id = new mongoose.Types.ObjectId().toHexString();
  const taken = await AmendmentNumber.findOneAndUpdate(
    { _id: record._id, $or: [{ lease: null }, { 'lease.until': mongoose.trusted({ $lt: now }) }] },
    { $set: { lease: { id, until: new Date(now.getTime() + 60_000) } } },
    { returnDocument: 'after', projection: { lease: 1 } },
  ).lean<{ lease: { id: string } }>();
  return taken?.lease?.id === id ? id : null;
}

/** What the amendment's PDF prints: its number, the standard, adoption, the dates, each change. */
async function amendmentView(standard: DocumentRecord, changes: AmendmentChange[], amended: Clause[], record: Pick<AmendmentNumberRecord, 'designation' | 'entryIntoForce' | 'publishedAt' | 'document'>, publicUrl: string, signer?: SignerIdentity): Promise<AmendmentPdfView> {
  const names = new Map((await listDelegations()).map((d) => [d.code, d.name.ru]));
  return {
    designation: record.designation,
    standard: { designation: standard.designation ?? '', titles: standard.titles },
    committee: translate('ru', 'amendments.pdf.committee'),
    adopted: translate('ru', 'amendments.pdf.adopted'),
    entryIntoForce: [...record.entryIntoForce].sort((a, b) => a.code.localeCompare(b.code)).map((e) => ({ country: names.get(e.code) ?? e.code, date: e.date })),
    labels: {
      entryIntoForce: translate('ru', 'amendments.pdf.entryIntoForce'),
      page: (n, m) => translate('ru', 'amendments.pdf.page', { n, m }),
      signedBy: signer ? signedByLine(signer, record.publishedAt) : undefined,
      verify: `${translate('ru', 'amendments.pdf.verify')}: ${verifyUrl(publicUrl, String(record.document))}`,
    },
    changes: changes.map((c) => ({ instruction: changeInstruction(c), lines: c.type === 'delete' ? [] : clausePlainText(c.clause, amended) })),
    createdAt: record.publishedAt,
  };
}

/**
 * A published amendment's form, as its PDF prints it, from the facts its publication fixed: for its Word
 * copy (server/publishing/docx-routes.ts), which is the amendment, never the standard's text it holds. The
 * signature line is the PDF's alone: the signed PDF stays the official text.
 */
export async function publishedAmendmentView(doc: DocumentRecord, publicUrl: string): Promise<AmendmentPdfView> {
  const p = doc.publication;
  if (!p || !doc.amends) throw new InvalidTransition(messages.notPublished, { state: doc.state });
  const standard = await getDocument(undefined, String(doc.amends));
  const { amended, changes } = await changesOf(doc, await getRevision(doc, p.revision));
  const entryIntoForce = Object.entries(p.entryIntoForce).map(([code, date]) => ({ code, date }));
  return amendmentView(standard, changes, amended, { designation: p.designation, entryIntoForce, publishedAt: p.publishedAt, document: doc._id }, publicUrl);
}

/**
 * Publishes an approved amendment (publish() hands it here): or finishes its interrupted publication.
 * Refused while the standard is not in force. See the steps at the top of this file.
 */
export async function publishAmendment(actor: CurrentUser, doc: DocumentRecord, input: PublishInput, opts: PublishOptions): Promise<DocumentRecord> {
  const now = opts.now;
  const standard = await getDocument(actor, String(doc.amends));
  const entryIntoForce = checkEntryIntoForce(input, now);
  const revision = await getRevision(doc, doc.currentRevision);
  assertPrintable(unprintableInRevision(revision.clauses, glyphCoverage(opts.assets.fonts), doc));
  let record = await takeAmendmentNumber(doc, standard, entryIntoForce, now);
  const alreadyConsolidated = standard.editions?.some((e) => e.amendments.some((a) => String(a.id) === String(doc._id)));
  if (standard.state !== 'published' && !alreadyConsolidated) throw new Conflict(messages.standardNotInForce, { designation: standard.designation ?? '' });
  await opts.afterStep?.('number');
  const lease = await takeNumberLease(record, now);
  if (!lease) throw new Conflict(messages.inProgress, { designation: record.designation });
  try {
    const { base, amended, changes } = await changesOf(doc, revision);
    const signature = { signer: opts.signer.identity.name, fingerprint: opts.signer.identity.fingerprint, development: opts.signer.identity.development, signedAt: record.publishedAt };
    let file: StoredFile | null = await storedFile(record.fileId);
    if (!file) {
      if (!sameDates(record.entryIntoForce, entryIntoForce)) {
        record = (await AmendmentNumber.findOneAndUpdate({ _id: record._id }, { $set: { entryIntoForce } }, { returnDocument: 'after', projection: numberFields }).lean<AmendmentNumberRecord>()) ?? record;
      }
      const view = await amendmentView(standard, changes, amended, record, opts.publicUrl, opts.signer.identity);
      const bytes = await signPdf(await pdfBuffer(renderAmendmentPdf(view, opts.assets)), opts.signer, { signingTime: record.publishedAt, reason: 'Publication' });
      await opts.afterStep?.('render');
      file = await storePdf(record.fileId, `${record.designation}.pdf`, bytes, { document: doc._id, designation: record.designation, revision: record.revision, signature });
      await opts.afterStep?.('store');
    }
    if (!alreadyConsolidated) await consolidatedEdition(standard, doc, base, changes, record, opts);
    return await markPublished(actor, doc, record, file, opts, { amendmentNumber: record.n });
  } finally {
    await AmendmentNumber.updateOne({ _id: record._id, 'lease.id': lease }, { $set: { lease: null } });
  }
}

/**
 * The consolidated edition: the standard's text with exactly the amendment's changes (consolidate), as the
 * standard's next revision, rendered as the standard is (same designation, same dates of entry into force)
 * with «Издание (год) с Изменением № N» on its cover, signed, stored under the file id chosen with the
 * number, and recorded on the standard as its newest edition (the earlier ones stay downloadable).
 */
async function consolidatedEdition(standard: DocumentRecord, amendment: DocumentRecord, base: Clause[], changes: AmendmentChange[], record: AmendmentNumberRecord, opts: PublishOptions): Promise<void> {
  const clauses = consolidate(base, changes);
  const included = [...(standard.editions?.at(-1)?.amendments ?? []), { id: amendment._id, number: record.n, designation: record.designation }];
  const revisionNumber = standard.currentRevision + 1;
  const facts = {
    designation: standard.publication!.designation,
    revision: revisionNumber,
    publishedAt: standard.publication!.publishedAt,
    entryIntoForce: Object.entries(standard.publication!.entryIntoForce).map(([code, date]) => ({ code, date })),
  };
  const revision = { _id: new mongoose.Types.ObjectId(), document: standard._id, number: revisionNumber, frozen: true, frozenAt: record.publishedAt, clauses, version: 0, edits: [], createdAt: record.publishedAt, updatedAt: record.publishedAt } satisfies RevisionRecord;
  let file = await storedFile(record.editionFileId);
  if (!file) {
    const view = await publicationView(standard, revision, facts, opts.publicUrl, opts.votes, opts.signer.identity);
    view.editionNote = editionNote(committeeYear(record.publishedAt), included.map((a) => a.number));
    view.createdAt = record.publishedAt;
    const bytes = await signPdf(await pdfBuffer(renderStandardPdf(view, opts.assets)), opts.signer, { signingTime: record.publishedAt, reason: 'Consolidated edition' });
    const signature = { signer: opts.signer.identity.name, fingerprint: opts.signer.identity.fingerprint, development: opts.signer.identity.development, signedAt: record.publishedAt };
    file = await storePdf(record.editionFileId, `${facts.designation} (${view.editionNote}).pdf`, bytes, { document: standard._id, designation: facts.designation, revision: revisionNumber, signature });
  }
  await recordConsolidatedEdition(standard, {
    clauses,
    revision: revisionNumber,
    edition: { revision: revisionNumber, publishedAt: record.publishedAt, fileId: file._id, sha256: file.metadata.sha256, size: file.metadata.size, amendments: included },
  });
}
