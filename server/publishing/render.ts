// The agreed PDF of a publication: the published cover (designation, publication date, who signs it, a
// QR code that links to this publication's verification page), the foreword with the voting record and
// the dates of entry into force, signed by the committee (signing/pades.ts). Everything it prints is
// fixed in the designation record or the frozen revision, and the signature's time is the publication's.
import { listDelegations } from '../delegations/service.js';
import { supersededDesignation, type DocumentRecord, type RevisionRecord } from '../documents/index.js';
import { pdfBuffer } from '../pdf/document.js';
import type { PdfAssets } from '../pdf/assets.js';
import { assertPrintable, glyphCoverage, unprintableInView } from '../pdf/glyphs.js';
import { renderStandardPdf } from '../pdf/standard.js';
import { standardPdfView, type EntryIntoForce, type StandardPdfView } from '../pdf/standard-view.js';
import { translate } from '../i18n/index.js';
import { stageOf } from '../lifecycle/table.js';
import { dayOf } from '../time/days.js';
import { formatDayOf } from '../time/format.js';
import type { DesignationRecord } from './model.js';
import { signPdf } from './signing/pades.js';
import type { PdfSigner, SignerIdentity } from './signing/signer.js';
import { votingRecord, type VotingRecordSource } from './voting-record.js';

/** The QR code's target: the verification page of this publication. */
export function verifyUrl(publicUrl: string, documentId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/verify/${documentId}`;
}

/** What a publication's text prints of its number record: the designation, the revision, the dates. */
export type PublicationFacts = Pick<DesignationRecord, 'designation' | 'revision' | 'publishedAt' | 'entryIntoForce'>;

/** The cover's line on the signature: the committee (as its certificate names it) and the day. */
export function signedByLine(identity: SignerIdentity, at: Date): string {
  const params = { name: identity.name, date: formatDayOf(at, 'ru') };
  return translate('ru', identity.development ? 'publishing.signedCoverDevelopment' : 'publishing.signedCover', params);
}

/** «Издание (2027 г.) с Изменением № 1»; with several, «с Изменениями № 1, 2» (docs/amendments.md). */
export function editionNote(year: number, numbers: readonly number[]): string {
  return numbers.length === 1 ? `Издание (${year} г.) с Изменением № ${numbers[0]}` : `Издание (${year} г.) с Изменениями № ${numbers.join(', ')}`;
}

/** The note a consolidated edition's cover prints, when this revision is one (its Word copy's too). */
function editionNoteOf(doc: DocumentRecord, revision: number): string | undefined {
  const edition = doc.editions?.find((e) => e.revision === revision);
  return edition?.amendments.length ? editionNote(Number(dayOf(edition.publishedAt).slice(0, 4)), edition.amendments.map((a) => a.number)) : undefined;
}

export async function publicationView(doc: DocumentRecord, revision: RevisionRecord, record: PublicationFacts, publicUrl: string, votes: VotingRecordSource = votingRecord, signer?: SignerIdentity): Promise<StandardPdfView> {
  const names = new Map((await listDelegations()).map((d) => [d.code, d.name.ru]));
  const entryIntoForce: EntryIntoForce[] = [...record.entryIntoForce]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((e) => ({ country: names.get(e.code) ?? e.code, code: e.code, date: e.date }));
  return standardPdfView({
    titles: doc.titles,
    developer: doc.developer,
    designation: record.designation,
    published: true,
    revision: record.revision,
    stage: stageOf('published', doc.round),
    ics: doc.ics,
    revisionDate: dayOf(revision.frozenAt ?? revision.updatedAt),
    publicationDate: dayOf(record.publishedAt),
    votes: await votes(doc, record.revision),
    entryIntoForce,
    replaces: await supersededDesignation(doc),
    editionNote: editionNoteOf(doc, record.revision),
    verifyUrl: verifyUrl(publicUrl, String(doc._id)),
    signedBy: signer ? signedByLine(signer, record.publishedAt) : undefined,
    createdAt: record.publishedAt,
    clauses: revision.clauses,
  });
}

/**
 * A publication's view as a PDF: the one renderer, with the one set of options, for the publication and
 * for its proof — so that a proof is the publication's layout page for page.
 */
async function publicationPdf(view: StandardPdfView, assets: PdfAssets): Promise<Buffer> {
  assertPrintable(unprintableInView(view, glyphCoverage(assets.fonts)));
  return pdfBuffer(renderStandardPdf(view, assets));
}

/** The publication's PDF as rendered, then signed by the committee: the bytes that are stored and served. */
export async function renderPublication(doc: DocumentRecord, revision: RevisionRecord, record: DesignationRecord, opts: { publicUrl: string; assets: PdfAssets; votes?: VotingRecordSource; signer: PdfSigner }): Promise<Buffer> {
  const view = await publicationView(doc, revision, record, opts.publicUrl, opts.votes, opts.signer.identity);
  const rendered = await publicationPdf(view, opts.assets);
  return signPdf(rendered, opts.signer, { signingTime: record.publishedAt, reason: 'Publication' });
}

/**
 * The proof of a publication: the PDF publishing would render from these facts (cover, foreword with the
 * votes and the dates of entry into force, text), by the same renderer — only not signed, so that no copy
 * of a proof ever passes for the publication on the verification page.
 */
export async function renderProof(doc: DocumentRecord, revision: RevisionRecord, facts: PublicationFacts, opts: { publicUrl: string; assets: PdfAssets; votes?: VotingRecordSource; signer: SignerIdentity }): Promise<Buffer> {
  const view = await publicationView(doc, revision, facts, opts.publicUrl, opts.votes, opts.signer);
  return publicationPdf(view, opts.assets);
}
