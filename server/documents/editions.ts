// A published standard's consolidated editions (docs/amendments.md): when an amendment is published, the
// standard gets its text with the amendment's changes as a new frozen revision, and that revision becomes
// its publication (the newest edition, downloaded by default); each earlier edition stays in `editions`
// with its own file and hash. The publishing feature renders and stores the files; this records them.
import { Conflict } from '../errors.js';
import type { Clause } from '../text/clauses.js';
import { amendmentChanges, type AmendmentChange } from '../text/amendment.js';
import { getRevision } from './service.js';
import { DocumentModel, Revision, type DocumentRecord, type EditionInfo, type RevisionRecord } from './model.js';

/** The standard's editions, oldest first: its first publication when it has never been amended. */
export function editionsOf(doc: Pick<DocumentRecord, 'editions' | 'publication'>): EditionInfo[] {
  if (doc.editions?.length) return doc.editions;
  if (!doc.publication) return [];
  const p = doc.publication;
  return [{ revision: p.revision, publishedAt: p.publishedAt, fileId: p.fileId, sha256: p.sha256, size: p.size, amendments: [] }];
}

/**
 * Records a consolidated edition: the revision (frozen, made once under its number) and the standard's
 * publication moved to it, with the edition appended — one conditional update, so a retry after a crash
 * finishes what the first attempt began and never adds the edition twice.
 */
export async function recordConsolidatedEdition(standard: DocumentRecord, input: { clauses: Clause[]; revision: number; edition: EditionInfo }): Promise<void> {
  try {
    await Revision.create({ document: standard._id, number: input.revision, clauses: input.clauses, frozen: true, frozenAt: input.edition.publishedAt, basedOn: standard.publication?.revision ?? null });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  if (!standard.publication) throw new Conflict('documents.movedMeanwhile');
  if (standard.publication.revision === input.revision) return;
  const editions = [...editionsOf(standard), input.edition];
  const publication = { ...standard.publication, revision: input.revision, fileId: input.edition.fileId, sha256: input.edition.sha256, size: input.edition.size };
  await DocumentModel.updateOne(
    { _id: standard._id, 'publication.revision': standard.publication.revision },
    { $set: { publication, editions, currentRevision: input.revision } },
  );
}

/** An amendment's changes to its standard: the given (or current) revision against the standard's text it amends. */
export async function amendmentChangesOf(amendment: DocumentRecord, revision?: Pick<RevisionRecord, 'clauses'>): Promise<{ base: Clause[]; amended: Clause[]; changes: AmendmentChange[] }> {
  if (!amendment.amends) return { base: [], amended: [], changes: [] };
  const base = (await getRevision({ _id: amendment.amends }, amendment.amendsRevision ?? 1)).clauses;
  const amended = (revision ?? (await getRevision(amendment, amendment.currentRevision))).clauses;
  return { base, amended, changes: amendmentChanges(base, amended) };
}
