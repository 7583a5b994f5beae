// The documents as the system's own jobs and the catalogue read them (no caller whose view limits what is
// found): documents in a state, the one still in a given ballot, the published ones with the catalogue's
// search fields. Other features reach these through server/documents/index.ts.
import { mongoose } from '../db/mongoose.js';
import { DocumentModel, type DocumentRecord, type ReleasedPosition } from './model.js';

/** Whether any document exists (the demo loader fills only an empty installation). */
export async function hasAnyDocument(): Promise<boolean> {
  return (await DocumentModel.exists({})) !== null;
}

/** The documents in one state, for the scheduled jobs (deadlines, ballots); only the fields asked for. */
export async function documentsInState<K extends keyof DocumentRecord>(state: DocumentRecord['state'], fields: Partial<Record<K, 1>>): Promise<Pick<DocumentRecord, K | '_id'>[]> {
  return DocumentModel.find({ state }).select(fields as Record<string, 1>).lean<Pick<DocumentRecord, K | '_id'>[]>();
}

/** The document, if it is still in the ballot that opened at `opensAt` (the ballot feature's check before it moves it). */
export async function documentInBallot<K extends keyof DocumentRecord>(id: DocumentRecord['_id'], opensAt: Date, fields: Partial<Record<K, 1>>): Promise<Pick<DocumentRecord, K | '_id'> | null> {
  return DocumentModel.findOne({ _id: id, state: 'ballot', 'ballotPeriod.opensAt': opensAt }).select(fields as Record<string, 1>).lean<Pick<DocumentRecord, K | '_id'>>();
}

/** Published (and withdrawn) documents with their publication record, for the catalogue; only the fields asked for. */
export async function documentsForCatalogue(states: readonly DocumentRecord['state'][], fields: Record<string, 1>): Promise<Record<string, unknown>[]> {
  const filter = { state: mongoose.trusted({ $in: [...states] }), publication: mongoose.trusted({ $ne: null }) };
  return DocumentModel.find(filter as Record<string, unknown>).select(fields).lean<Record<string, unknown>[]>();
}

/** What the catalogue's search fields are made of: titles, designation and the publication record. */
export async function searchSourceOf(id: string): Promise<Pick<DocumentRecord, '_id' | 'titles' | 'designation' | 'publication' | 'amends'> | null> {
  if (!mongoose.isValidObjectId(id)) return null;
  return DocumentModel.findById(id).select({ titles: 1, designation: 1, publication: 1, amends: 1 }).lean<DocumentRecord>();
}

/** Stores the catalogue's own search fields on a document (server/catalogue/store.ts makes them). */
export async function storeSearchFields(id: DocumentRecord['_id'], fields: { searchTokens: string[]; sortKey: string }): Promise<void> {
  await DocumentModel.updateOne({ _id: id }, { $set: { searchTokens: fields.searchTokens, sortKey: fields.sortKey } });
}

/**
 * Records on the document that a delegation released its national position of a round (server/comments/
 * position.ts, before it numbers the comments). Once: a second call finds it recorded and changes nothing.
 * Not a change of the document's own content, so its `updatedAt` stays.
 */
export async function recordReleasedPosition(id: DocumentRecord['_id'], position: ReleasedPosition): Promise<void> {
  const notYet = mongoose.trusted({ $not: { $elemMatch: { round: position.round, delegation: position.delegation } } });
  await DocumentModel.updateOne({ _id: id, releasedPositions: notYet }, { $push: { releasedPositions: position } }, { timestamps: false });
}

/**
 * The designation of the standard a document supersedes, for its foreword's «ВЗАМЕН …» (docs/amendments.md);
 * undefined for a first standard (one that supersedes nothing).
 */
export async function supersededDesignation(doc: Pick<DocumentRecord, 'supersedes'>): Promise<string | undefined> {
  if (!doc.supersedes) return undefined;
  const older = await DocumentModel.findById(doc.supersedes).select({ designation: 1 }).lean<Pick<DocumentRecord, 'designation'>>();
  return older?.designation ?? undefined;
}

/** The amendments of a standard not yet published nor cancelled: at most one is under way (docs/amendments.md). */
export async function openAmendmentOf(standardId: DocumentRecord['_id']): Promise<Pick<DocumentRecord, '_id' | 'state'> | null> {
  return DocumentModel.findOne({ amends: standardId, state: mongoose.trusted({ $nin: ['published', 'cancelled', 'withdrawn'] }) }).select({ _id: 1, state: 1 }).lean<Pick<DocumentRecord, '_id' | 'state'>>();
}


/** The state of a document, or null when there is none (an amendment's claim asks whether its draft was cancelled). */
export async function amendmentState(id: DocumentRecord['_id']): Promise<DocumentRecord['state'] | null> {
  const doc = await DocumentModel.findById(id).select({ state: 1 }).lean<Pick<DocumentRecord, 'state'>>();
  return doc?.state ?? null;
}

/** The designation of the standard an amendment amends (docs/amendments.md); undefined for any other document. */
export async function amendedDesignation(doc: Pick<DocumentRecord, 'amends'>): Promise<string | undefined> {
  if (!doc.amends) return undefined;
  const standard = await DocumentModel.findById(doc.amends).select({ designation: 1 }).lean<Pick<DocumentRecord, 'designation'>>();
  return standard?.designation ?? undefined;
}
