// Importing a filled-in comment template into a delegation's internal comments (docs/comment-import.md):
// upload (read, judged, kept for its owner), preview, confirm (all rows stored, or none).
import type { CurrentUser } from '../../auth/index.js';
import { mongoose } from '../../db/mongoose.js';
import { listDelegations } from '../../delegations/service.js';
import { getDocument, getRevision } from '../../documents/index.js';
import { Conflict, NotFound, PayloadTooLarge } from '../../errors.js';
import type { Notices } from '../../notices/index.js';
import { Comment } from '../model.js';
import { checkAfterInsert, newCommentRecords, noticeAwaitingRelease, type CommentInput } from '../service.js';
import { clauseIndex } from './clause-match.js';
import { CommentImport, IMPORT_LIFETIME_MS, type CommentImportRecord } from './model.js';
import { IMPORT_LIMITS, type ImportLimits } from '../../common/office/package.js';
import { readCommentFile } from './read.js';
import type { ImportRow } from './rows.js';

export const importMessages = {
  notFound: 'commentImport.notFound',
  confirmed: 'commentImport.alreadyConfirmed',
  fixFirst: 'commentImport.fixFirst',
  outdated: 'commentImport.outdated',
  meanwhile: 'commentImport.importedMeanwhile',
  tooMuchText: 'commentImport.tooMuchText',
} as const;

/** A stored upload is one database document: its rows must fit well inside MongoDB's 16 MB. */
const MAX_STORED_CHARS = 12_000_000;

/** The key that makes a row one comment per delegation and revision, whoever uploads it and however often. */
export const importKeyOf = (u: Pick<CommentImportRecord, 'document' | 'revision' | 'delegation'>, row: Pick<ImportRow, 'hash'>) =>
  `${u.document}:${u.revision}:${u.delegation}:${row.hash}`;

/** Rows whose content stands earlier in the same file are marked as repeats of that row: one comment, not two. */
function markRepeats(rows: ImportRow[]): (ImportRow & { sameAs?: number })[] {
  const first = new Map<string, number>();
  return rows.map((r) => {
    const earlier = first.get(r.hash);
    if (earlier === undefined) first.set(r.hash, r.row);
    return earlier === undefined ? r : { ...r, sameAs: earlier };
  });
}

/**
 * A head or member uploads a file of comments: the rules of a new comment are checked first (as for one
 * typed in), then the file is received, read and judged, and kept for its owner until confirmed or expired.
 */
export async function uploadComments(actor: CurrentUser, docId: string, receive: () => Promise<{ bytes: Buffer; name: string }>, now: Date, limits: ImportLimits = IMPORT_LIMITS): Promise<CommentImportRecord> {
  const doc = await getDocument(actor, docId);
  const { delegation } = await newCommentRecords(actor, doc, [], now);
  // Only then is the file read: a document not found, or a period closed, is said without taking 20 MB in.
  const file = await receive();
  const revision = await getRevision(doc, doc.commentPeriod!.revision);
  const delegationCodes = (await listDelegations()).map((d) => d.code);
  const read = await readCommentFile(file.bytes, { delegation, delegationCodes, clauses: clauseIndex(revision.clauses) }, limits);
  const rows = markRepeats(read.rows);
  if (JSON.stringify(rows).length > MAX_STORED_CHARS) throw new PayloadTooLarge(importMessages.tooMuchText);
  const created = await CommentImport.create({
    document: doc._id, round: doc.round, revision: revision.number, delegation, owner: actor.id, fileName: file.name.slice(0, 200),
    kind: read.kind, layout: read.layout, macros: read.macros, rows, expiresAt: new Date(now.getTime() + IMPORT_LIFETIME_MS),
  });
  return created.toObject() as unknown as CommentImportRecord;
}

/** The caller's own upload for this document, not expired; anyone else's is "not found". */
export async function ownImport(actor: CurrentUser, docId: string, importId: string, now: Date): Promise<CommentImportRecord> {
  if (!mongoose.isValidObjectId(importId) || !mongoose.isValidObjectId(docId)) throw new NotFound(importMessages.notFound);
  const u = await CommentImport.findById(importId).lean<CommentImportRecord>();
  if (!u || String(u.owner) !== actor.id || String(u.document) !== docId || u.expiresAt.getTime() <= now.getTime()) throw new NotFound(importMessages.notFound);
  return u;
}

/** The rows of the upload already stored as comments (by an earlier upload of the same rows). */
export async function alreadyImported(u: CommentImportRecord): Promise<Set<string>> {
  const keys = u.rows.map((r) => importKeyOf(u, r));
  const found = await Comment.find({ importKey: mongoose.trusted({ $in: keys }) }).select({ importKey: 1, _id: 0 }).lean<{ importKey: string }[]>();
  return new Set(found.map((c) => c.importKey));
}

/** What confirming would store: the rows that are neither repeats within the file nor imported before. */
export function rowsToStore(u: CommentImportRecord, imported: Set<string>) {
  return (u.rows as (ImportRow & { sameAs?: number })[]).filter((r) => r.sameAs === undefined && !imported.has(importKeyOf(u, r)));
}

function inputOf(r: ImportRow, wholeDocumentKey: string): CommentInput {
  return { clauseKey: r.match.kind === 'clause' ? r.match.key : wholeDocumentKey, type: r.type!, text: r.text, proposedChange: r.proposedChange, anchorKind: r.anchor?.kind, anchorRef: r.anchor?.ref, line: r.line };
}

/**
 * The person confirms the preview: every new row becomes an internal comment of the delegation, by the
 * rules of a comment typed in, or none does. Without transactions on the embedded engine (docs/engine.md)
 * a failed insert removes what it had inserted; a confirmation cut short by a crash is finished by the
 * next one, since rows already stored are known by their key and not stored again.
 */
export async function confirmImport(actor: CurrentUser, docId: string, importId: string, now: Date, notices: Notices): Promise<{ created: number; skipped: number }> {
  const u = await ownImport(actor, docId, importId, now);
  if (u.confirmedAt) throw new Conflict(importMessages.confirmed);
  const withProblems = u.rows.filter((r) => r.problems.length > 0).length;
  if (withProblems > 0) throw new Conflict(importMessages.fixFirst, { count: withProblems });
  const todo = rowsToStore(u, await alreadyImported(u));
  const current = await getDocument(actor, docId);
  // A new round since the upload: its rows were matched to another revision.
  if (current.commentPeriod && (current.round !== u.round || current.commentPeriod.revision !== u.revision)) throw new Conflict(importMessages.outdated);
  // A comment on the whole document stands at the first clause, as a failed ballot's reasons do (ballots/closing.ts).
  const wholeDocumentKey = (await getRevision(current, u.revision)).clauses[0]!.key;
  const { delegation, records } = await newCommentRecords(actor, current, todo.map((r) => inputOf(r, wholeDocumentKey)), now);
  const docs = records.map((rec, i) => ({ _id: new mongoose.Types.ObjectId(), ...rec, importKey: importKeyOf(u, todo[i]!), unmatchedClause: todo[i]!.match.kind === 'unknown' ? todo[i]!.clause.slice(0, 200) : null, wholeDocument: todo[i]!.match.kind !== 'clause' }));
  try {
    if (docs.length) await Comment.insertMany(docs, { ordered: true });
  } catch (err) {
    await Comment.deleteMany({ _id: mongoose.trusted({ $in: docs.map((d) => d._id) }) });
    if ((err as { code?: number }).code === 11000) throw new Conflict(importMessages.meanwhile);
    throw err;
  }
  // As for one comment typed in, checked again on the document read after the insert (service.ts,
  // checkAfterInsert): a release at the same moment either numbers them or has them taken back and refused.
  // What it numbered before they could be taken back stands (it is part of the position), and is what the
  // upload is confirmed with.
  const after = docs.length ? await checkAfterInsert(actor, docId, docs, now) : { standing: 0, refusal: undefined };
  if (after.refusal && after.standing === 0) throw after.refusal;
  await CommentImport.updateOne({ _id: u._id, confirmedAt: null }, { $set: { confirmedAt: now, created: after.standing } });
  if (after.standing) notices.inBackground(noticeAwaitingRelease(notices, current, delegation));
  return { created: after.standing, skipped: u.rows.length - after.standing };
}
