// Publication, amendment and withdrawal as use-cases. Publishing is one resumable operation whose steps
// are each keyed by a unique field — number (designation register, unique per document and per year and
// number) → render and sign → store (GridFS, under the file id chosen with the number) → mark published (one
// conditional update of the document) → supersede the amended predecessor — so a crash at any point
// leaves work that the next attempt finds and finishes, never a second number or a second file.
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument, getRevision, openAmendmentOf } from '../documents/index.js';
import type { Lifecycle } from '../lifecycle/index.js';
import { Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound } from '../errors.js';
import type { PdfAssets } from '../pdf/assets.js';
import { assertPrintable, glyphCoverage, unprintableInRevision } from '../pdf/glyphs.js';
import { addDays, dayOf, type Day } from '../time/days.js';
import { dayParam } from '../time/format.js';
import { designationPreview, releaseLease, takeDesignation, takeLease, updateEntryIntoForce } from './designation.js';
import { publishAmendment } from './amendments.js';
import { checkEntryIntoForce, markPublished, messages, requireSecretariat, sameDates, type PublicationStep, type PublishInput, type PublishOptions } from './steps.js';
import { Amendment, type AmendmentRecord, type DesignationRecord } from './model.js';
import { renderProof, renderPublication } from './render.js';
import type { PdfSigner } from './signing/signer.js';
import type { VotingRecordSource } from './voting-record.js';
import { storedFile, storePdf, type StoredFile } from './storage.js';

export * from './steps.js';
export { startAmendment } from './amendments.js';

/**
 * Publishes an approved document: or finishes its interrupted publication. Publishing a published
 * document is refused (after completing anything its first publication left undone).
 */
export async function publish(actor: CurrentUser, id: string, input: PublishInput, opts: PublishOptions): Promise<DocumentRecord> {
  requireSecretariat(actor);
  const doc = await getDocument(actor, id);
  if (doc.publication) {
    // Whatever its first publication left undone (superseding the predecessor, the catalogue) is done now.
    await opts.lifecycle.finish(doc, 'publish', opts.now, { actor });
    throw new Conflict(messages.alreadyPublished, { designation: doc.publication.designation });
  }
  if (doc.state !== 'approved') throw new InvalidTransition(messages.notApproved, { state: doc.state });
  // An amendment is published in its own form, with the consolidated edition it makes (docs/amendments.md).
  if (doc.amends) return publishAmendment(actor, doc, input, opts);
  const now = opts.now;
  const entryIntoForce = checkEntryIntoForce(input, now);
  const step = async (s: PublicationStep) => opts.afterStep?.(s);
  // A published PDF can never be corrected: a character that no font prints is refused before a number
  // is taken (render.ts checks the whole view once more, cover and foreword included).
  assertPrintable(unprintableInRevision((await getRevision(doc, doc.currentRevision)).clauses, glyphCoverage(opts.assets.fonts), doc));

  // 1. The number: the one this document took before, or the next of the year.
  let record = await takeDesignation({ document: doc._id, revision: doc.currentRevision, entryIntoForce, now });
  await step('number');

  const lease = await takeLease(record, now);
  if (!lease) throw new Conflict(messages.inProgress, { designation: record.designation });
  try {
    let file = await storedFile(record.fileId);
    if (!file) {
      if (!sameDates(record.entryIntoForce, entryIntoForce)) record = await updateEntryIntoForce(record, entryIntoForce);
      // 2. The agreed PDF, rendered from the frozen revision and the facts fixed with the number.
      const revision = await getRevision(doc, record.revision);
      const bytes = await renderPublication(doc, revision, record, opts);
      await step('render');
      // 3. Stored under the id chosen with the number, with its hash and size.
      const signature = { signer: opts.signer.identity.name, fingerprint: opts.signer.identity.fingerprint, development: opts.signer.identity.development, signedAt: record.publishedAt };
      file = await storePdf(record.fileId, `${record.designation}.pdf`, bytes, { document: doc._id, designation: record.designation, revision: record.revision, signature });
      await step('store');
    }
    // 4. Published: designation and publication record set in the same update as the move;
    // 5. the version it amends superseded by the move's effect.
    return await markPublished(actor, doc, record, file, opts);
  } finally {
    await releaseLease(record, lease);
  }
}

/**
 * The proof PDF before publishing: what publish() would render now with these dates of entry into force
 * — the designation it would take (or holds already), the day of publication, the votes, the text — by
 * the same renderer, unsigned. Refused as publishing would be (an approved document, dates in range).
 */
export async function publicationProof(actor: CurrentUser, id: string, input: PublishInput, opts: Pick<PublishOptions, 'publicUrl' | 'assets' | 'signer' | 'votes' | 'now'>): Promise<{ designation: string; bytes: Buffer }> {
  requireSecretariat(actor);
  const doc = await getDocument(actor, id);
  if (doc.publication) throw new Conflict(messages.alreadyPublished, { designation: doc.publication.designation });
  if (doc.state !== 'approved') throw new InvalidTransition(messages.notApproved, { state: doc.state });
  // An amendment has no standard's proof: its own form is printed on publication (docs/amendments.md).
  if (doc.amends) throw new InvalidTransition(messages.amendmentHasNoProof, { state: doc.state });
  const entryIntoForce = checkEntryIntoForce(input, opts.now);
  const preview = await designationPreview(doc._id, opts.now);
  const revision = await getRevision(doc, preview.revision ?? doc.currentRevision);
  assertPrintable(unprintableInRevision(revision.clauses, glyphCoverage(opts.assets.fonts), doc));
  const facts = { designation: preview.designation, revision: revision.number, publishedAt: preview.publishedAt ?? opts.now, entryIntoForce };
  return { designation: preview.designation, bytes: await renderProof(doc, revision, facts, { ...opts, signer: opts.signer.identity }) };
}

// ---- amendment --------------------------------------------------------------------------------------

/** The document as the secretariat sees it (a successor is a draft), or null when there is none. */
async function findDocument(actor: CurrentUser, id: mongoose.Types.ObjectId): Promise<DocumentRecord | null> {
  return getDocument(actor, String(id)).catch((err) => {
    if (err instanceof NotFound) return null;
    throw err;
  });
}

async function successorAlive(actor: CurrentUser, id: mongoose.Types.ObjectId): Promise<DocumentRecord | null> {
  const s = await findDocument(actor, id);
  return s && s.state !== 'cancelled' ? s : null;
}

/** The claim on amending this document: made now, or the one an earlier attempt made. */
async function claimAmendment(actor: CurrentUser, doc: DocumentRecord, now: Date): Promise<AmendmentRecord> {
  const fields = { successor: 1, at: 1, announced: 1 };
  const fresh = { _id: doc._id, successor: new mongoose.Types.ObjectId(), at: now, announced: false };
  try {
    await Amendment.create(fresh);
    return fresh;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  const claim = await Amendment.findById(doc._id).select(fields).lean<AmendmentRecord>();
  if (!claim) throw new Conflict('documents.movedMeanwhile');
  // A successor not made yet belongs to an attempt under way (or a crashed one): this one finishes it.
  const earlier = await findDocument(actor, claim.successor);
  if (!earlier || earlier.state !== 'cancelled') return claim;
  // The earlier successor was abandoned (cancelled): a new amendment may start.
  const taken = await Amendment.findOneAndUpdate({ _id: doc._id, successor: claim.successor }, { $set: { successor: fresh.successor, at: fresh.at, announced: false } }, { returnDocument: 'after', projection: fields }).lean<AmendmentRecord>();
  if (!taken) throw new Conflict('documents.movedMeanwhile');
  return taken;
}

/**
 * Starts the amendment of a published document: a successor draft whose revision 1 is the published
 * text (same clause keys), and the 'amend' event on the published one, which stays in force until the
 * successor is published. Resumable; a second amendment while one is under way is refused.
 */
export async function amend(actor: CurrentUser, id: string, now: Date, lifecycle: Lifecycle): Promise<DocumentRecord> {
  requireSecretariat(actor);
  const doc = await getDocument(actor, id);
  if (doc.state !== 'published' || !doc.publication) throw new InvalidTransition(messages.notPublished, { state: doc.state });
  // An amendment under way changes the text the successor would replace: finish or cancel it first (docs/amendments.md).
  const open = await openAmendmentOf(doc._id);
  if (open) throw new Conflict(messages.amendmentOpen, { designation: doc.publication.designation, id: String(open._id) });
  const claim = await claimAmendment(actor, doc, now);
  const existing = await successorAlive(actor, claim.successor);
  if (claim.announced && existing) throw new Conflict(messages.alreadyAmended, { designation: doc.publication.designation, id: String(claim.successor) });
  const announcedIn = (d: DocumentRecord) => d.history.some((e) => e.action === 'amend' && e.at.getTime() >= claim.at.getTime());
  if (!announcedIn(doc)) {
    try {
      // The move's effect makes the successor draft under the claimed id (or finds it made).
      await lifecycle.move(actor, id, 'amend', { dedicated: true, now, rev: doc.rev, successorId: claim.successor });
    } catch (err) {
      // A parallel attempt (a double click) recorded it first.
      if (!(err instanceof Conflict) || !announcedIn(await getDocument(actor, id))) throw err;
    }
  }
  await Amendment.updateOne({ _id: doc._id, successor: claim.successor }, { $set: { announced: true } });
  return existing ?? (await getDocument(actor, String(claim.successor)));
}

/** The amendment under way for a published document, if any: its successor draft's id. */
export async function amendmentOf(actor: CurrentUser, doc: Pick<DocumentRecord, '_id'>): Promise<string | undefined> {
  const claim = await Amendment.findById(doc._id).select({ successor: 1 }).lean<{ successor: mongoose.Types.ObjectId }>();
  return claim && (await successorAlive(actor, claim.successor)) ? String(claim.successor) : undefined;
}

// ---- withdrawal -------------------------------------------------------------------------------------

export interface WithdrawInput {
  reason: string;
  /** The committee day the document leaves force. */
  date: Day;
}

/** Withdraws a published document: it leaves force on the given day and stays in the catalogue. */
export async function withdraw(actor: CurrentUser, id: string, input: WithdrawInput, now: Date, lifecycle: Lifecycle): Promise<DocumentRecord> {
  requireSecretariat(actor);
  const doc = await getDocument(actor, id);
  if (doc.state !== 'published' || !doc.publication) throw new InvalidTransition(messages.notPublished, { state: doc.state });
  const published = dayOf(doc.publication.publishedAt);
  if (input.date < published) throw new InvalidInput(messages.withdrawalBeforePublication, { date: dayParam(published) }, { date: messages.withdrawalBeforePublication });
  return lifecycle.move(actor, id, 'withdraw', { dedicated: true, now, note: input.reason, set: { withdrawal: { date: input.date, reason: input.reason, recordedAt: now } } });
}
