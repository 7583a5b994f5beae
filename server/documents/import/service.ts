// Importing a legacy draft (DOCX) into the clause structure (docs/draft-import.md): upload
// (read, judged, kept for its owner), preview, confirm (the document with all its clauses, or nothing).
import type { CurrentUser } from '../../auth/index.js';
import { IMPORT_LIMITS, openOfficePackage, type ImportLimits } from '../../common/office/package.js';
import { mongoose } from '../../db/mongoose.js';
import { AppError, Conflict, Forbidden, InvalidInput, NotFound, PayloadTooLarge, UnsupportedMediaType } from '../../errors.js';
import { validateClauses } from '../../text/clauses.js';
import { createImportedDocument, getDocument, type DocumentDetails } from '../index.js';
import type { DocumentRecord } from '../model.js';
import type { Template } from '../templates.js';
import { DRAFT_IMPORT_LIFETIME_MS, DraftImport, type DraftImportRecord } from './model.js';
import { draftStructure, hasStructure } from './structure.js';
import { wordBlocks } from './word-html.js';
import { readWordFacts } from './word-parts.js';

export const draftImportMessages = {
  prefix: 'draftImport',
  notFound: 'draftImport.notFound',
  notDocx: 'draftImport.notOffice',
  unreadable: 'draftImport.unreadable',
  trackedChanges: 'draftImport.trackedChanges',
  noStructure: 'draftImport.noStructure',
  tooMuchText: 'draftImport.tooMuchText',
  fixFirst: 'draftImport.fixFirst',
  secretariatOnly: 'draftImport.secretariatOnly',
} as const;

/** A stored upload is one database document: its clauses must fit well inside MongoDB's 16 MB. */
const MAX_STORED_CHARS = 12_000_000;

/** A draft's limits: the comment import's, the file's size and the package's once inflated (docs/draft-import.md). */
export const DRAFT_IMPORT_LIMITS: ImportLimits = IMPORT_LIMITS;

function secretariatOnly(actor: CurrentUser): void {
  if (actor.role !== 'secretariat') throw new Forbidden(draftImportMessages.secretariatOnly);
}

/** Reads a DOCX into clauses, or refuses it with a sentence the person can act on (nothing is stored). */
export async function readDraft(bytes: Buffer, limits: ImportLimits = DRAFT_IMPORT_LIMITS) {
  const pkg = await openOfficePackage(bytes, limits, draftImportMessages.prefix);
  if (pkg.kind !== 'docx') throw new UnsupportedMediaType(draftImportMessages.notDocx);
  const facts = readWordFacts(pkg.wordParts, pkg.main);
  // Tracked changes are never accepted silently: the secretariat decides them in Word first.
  if (facts.trackedChanges > 0) throw new InvalidInput(draftImportMessages.trackedChanges, { count: facts.trackedChanges }, { file: draftImportMessages.trackedChanges });
  // mammoth reads the package again: whatever it cannot read is a damaged file, never a failure of the server.
  const { blocks } = await wordBlocks(bytes, facts.paragraphs).catch((err: unknown) => {
    if (err instanceof AppError) throw err;
    throw new UnsupportedMediaType(draftImportMessages.unreadable);
  });
  const structure = draftStructure(blocks);
  if (!hasStructure(structure)) throw new InvalidInput(draftImportMessages.noStructure, {}, { file: draftImportMessages.noStructure });
  return { ...structure, macros: pkg.macros };
}

/** The secretariat uploads a draft: read and judged, kept for its owner until confirmed or expired. */
export async function uploadDraft(actor: CurrentUser, receive: () => Promise<{ bytes: Buffer; name: string }>, now: Date, limits: ImportLimits = DRAFT_IMPORT_LIMITS): Promise<DraftImportRecord> {
  secretariatOnly(actor);
  const file = await receive();
  const read = await readDraft(file.bytes, limits);
  if (JSON.stringify(read.clauses).length > MAX_STORED_CHARS) throw new PayloadTooLarge(draftImportMessages.tooMuchText);
  const created = await DraftImport.create({
    owner: actor.id, fileName: file.name.slice(0, 200), macros: read.macros, clauses: read.clauses, written: read.written, dropped: read.dropped, notices: read.notices,
    documentId: new mongoose.Types.ObjectId(), expiresAt: new Date(now.getTime() + DRAFT_IMPORT_LIFETIME_MS),
  });
  return created.toObject() as unknown as DraftImportRecord;
}

/** The caller's own upload, not expired; anyone else's is "not found". */
export async function ownDraftImport(actor: CurrentUser, importId: string, now: Date): Promise<DraftImportRecord> {
  secretariatOnly(actor);
  if (!mongoose.isValidObjectId(importId)) throw new NotFound(draftImportMessages.notFound);
  const u = await DraftImport.findById(importId).lean<DraftImportRecord>();
  if (!u || String(u.owner) !== actor.id || u.expiresAt.getTime() <= now.getTime()) throw new NotFound(draftImportMessages.notFound);
  return u;
}

/**
 * The secretariat confirms the preview with the document's details: the draft is made with every clause
 * read, or not at all (the revision is written first, then the document, under the id chosen at upload;
 * a retry after a crash completes the same draft). A confirmed upload answers with its document.
 */
export async function confirmDraftImport(actor: CurrentUser, templates: readonly Template[], importId: string, details: DocumentDetails & { kind: string }, now: Date): Promise<DocumentRecord> {
  const u = await ownDraftImport(actor, importId, now);
  if (u.confirmedAt) return getDocument(actor, String(u.documentId));
  const issues = validateClauses(u.clauses);
  if (issues.length) throw new Conflict(draftImportMessages.fixFirst, { count: issues.length });
  const doc = await createImportedDocument(actor, templates, details, u.clauses, u.documentId, u.fileName, now);
  await DraftImport.updateOne({ _id: u._id, confirmedAt: null }, { $set: { confirmedAt: now } });
  return doc;
}
