// A file of comments between its upload and its confirmation: the rows as read and judged, kept on the
// server (never in the page, where they could be changed) for its owner alone, for a few hours.
import { mongoose, Schema } from '../../db/mongoose.js';
import type { ImportRow } from './rows.js';

/** How long an upload waits for its confirmation. */
export const IMPORT_LIFETIME_MS = 6 * 3600_000;

export interface CommentImportRecord {
  _id: mongoose.Types.ObjectId;
  document: mongoose.Types.ObjectId;
  round: number;
  revision: number;
  delegation: string;
  owner: mongoose.Types.ObjectId;
  fileName: string;
  kind: 'docx' | 'xlsx';
  layout: string;
  macros: boolean;
  rows: ImportRow[];
  expiresAt: Date;
  confirmedAt?: Date | null;
  created?: number | null;
  createdAt: Date;
}

const commentImportSchema = new Schema(
  {
    document: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    round: { type: Number, required: true },
    revision: { type: Number, required: true },
    delegation: { type: String, required: true },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    fileName: { type: String, default: '' },
    kind: { type: String, enum: ['docx', 'xlsx'], required: true },
    layout: { type: String, required: true },
    macros: { type: Boolean, default: false },
    // Written once at upload and read whole: the rows as the preview shows them (rows.ts).
    rows: { type: [Schema.Types.Mixed], default: [] },
    expiresAt: { type: Date, required: true },
    confirmedAt: { type: Date, default: null },
    created: { type: Number, default: null },
  },
  { timestamps: true },
);
// Uploads left unconfirmed go away by themselves (reads check expiresAt too, on an engine without TTL).
commentImportSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const CommentImport = mongoose.model('CommentImport', commentImportSchema);
