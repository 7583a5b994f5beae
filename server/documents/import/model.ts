// A legacy draft between its upload and its confirmation (docs/draft-import.md): the clauses
// as read, what was dropped and what is said about them, kept on the server (never in the page, where they
// could be changed) for the member of the secretariat who uploaded it, for a few hours.
import { mongoose, Schema } from '../../db/mongoose.js';
import type { Clause } from '../../text/clauses.js';
import type { Dropped, Notice } from './structure.js';

/** How long an upload waits for its confirmation. */
export const DRAFT_IMPORT_LIFETIME_MS = 6 * 3600_000;

export interface DraftImportRecord {
  _id: mongoose.Types.ObjectId;
  owner: mongoose.Types.ObjectId;
  fileName: string;
  macros: boolean;
  clauses: Clause[];
  written: Record<string, string>;
  dropped: Dropped[];
  notices: Notice[];
  /** The id the document gets when confirmed, chosen at upload: a confirmation retried finds the same document. */
  documentId: mongoose.Types.ObjectId;
  expiresAt: Date;
  confirmedAt?: Date | null;
  createdAt: Date;
}

const draftImportSchema = new Schema(
  {
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    fileName: { type: String, default: '' },
    macros: { type: Boolean, default: false },
    // Written once at upload and read whole; checked by validateClauses before the document is made.
    clauses: { type: [Schema.Types.Mixed], default: [] },
    written: { type: Schema.Types.Mixed, default: {} },
    dropped: { type: [Schema.Types.Mixed], default: [] },
    notices: { type: [Schema.Types.Mixed], default: [] },
    documentId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    confirmedAt: { type: Date, default: null },
  },
  { timestamps: true, minimize: false },
);
// Uploads left unconfirmed go away by themselves (reads check expiresAt too, on an engine without TTL).
draftImportSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const DraftImport = mongoose.model('DraftImport', draftImportSchema);
