// The agreed PDF of a publication: the published cover (designation, publication date, a QR code that
// links to this publication's verification page), the foreword with the voting record and the dates of
// entry into force. Everything it prints is fixed in the designation record or the frozen revision, so
// a retried publication renders the same bytes.
import { listDelegations } from '../delegations/service.js';
import type { DocumentRecord, RevisionRecord } from '../documents/index.js';
import { pdfBuffer } from '../pdf/document.js';
import type { PdfAssets } from '../pdf/assets.js';
import { assertPrintable, glyphCoverage, unprintableInView } from '../pdf/glyphs.js';
import { renderStandardPdf } from '../pdf/standard.js';
import { standardPdfView, type EntryIntoForce, type StandardPdfView } from '../pdf/standard-view.js';
import { stageOf } from '../lifecycle/table.js';
import { dayOf } from '../time/days.js';
import type { DesignationRecord } from './model.js';
import { votingRecord, type VotingRecordSource } from './voting-record.js';

/** The QR code's target: the verification page of this publication. */
export function verifyUrl(publicUrl: string, documentId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/verify/${documentId}`;
}

/** What a publication's text prints of its number record: the designation, the revision, the dates. */
export type PublicationFacts = Pick<DesignationRecord, 'designation' | 'revision' | 'publishedAt' | 'entryIntoForce'>;

export async function publicationView(doc: DocumentRecord, revision: RevisionRecord, record: PublicationFacts, publicUrl: string, votes: VotingRecordSource = votingRecord): Promise<StandardPdfView> {
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
    verifyUrl: verifyUrl(publicUrl, String(doc._id)),
    createdAt: record.publishedAt,
    clauses: revision.clauses,
  });
}

export async function renderPublication(doc: DocumentRecord, revision: RevisionRecord, record: DesignationRecord, opts: { publicUrl: string; assets: PdfAssets; votes?: VotingRecordSource }): Promise<Buffer> {
  const view = await publicationView(doc, revision, record, opts.publicUrl, opts.votes);
  assertPrintable(unprintableInView(view, glyphCoverage(opts.assets.fonts)));
  return pdfBuffer(renderStandardPdf(view, opts.assets));
}
