// What publication keeps besides the document itself: the designation register (one number per document,
// one document per number) and the claim of an amendment in progress. Each record is keyed by a unique
// field, so every step of a publication or an amendment can be retried without doing it twice.
import { mongoose, Schema } from '../db/mongoose.js';
import type { Day } from '../time/days.js';

export interface DesignationRecord {
  _id: mongoose.Types.ObjectId;
  /** The year of publication in committee time, and the number within it: 1, 2, 3… */
  year: number;
  n: number;
  /** «СТ СГ 12-2027», fixed when the number is taken. */
  designation: string;
  document: mongoose.Types.ObjectId;
  /** The revision being published and the facts printed in its PDF, fixed with the number. */
  revision: number;
  publishedAt: Date;
  /** Country code → the committee day the standard enters into force there. */
  entryIntoForce: { code: string; date: Day }[];
  /** Chosen with the number: the stored PDF's GridFS id, so a retry finds (or finishes) the same file. */
  fileId: mongoose.Types.ObjectId;
  /** Single-flight lease: whoever holds it renders and stores; a crashed holder's lease runs out. */
  lease?: { id: string; until: Date } | null;
  createdAt: Date;
}

const designationSchema = new Schema(
  {
    year: { type: Number, required: true, min: 2000, max: 9999 },
    n: { type: Number, required: true, min: 1 },
    designation: { type: String, required: true },
    document: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    revision: { type: Number, required: true, min: 1 },
    publishedAt: { type: Date, required: true },
    entryIntoForce: { type: [new Schema({ code: { type: String, required: true }, date: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ } }, { _id: false })], default: [] },
    fileId: { type: Schema.Types.ObjectId, required: true },
    lease: { type: new Schema({ id: String, until: Date }, { _id: false }), default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'designations', versionKey: false },
);
// The sequence: a number is taken by inserting it, and the insert fails if it is taken already.
designationSchema.index({ year: 1, n: 1 }, { unique: true });
// At most one number per document: a retry finds the number its first attempt took.
designationSchema.index({ document: 1 }, { unique: true });
designationSchema.index({ designation: 1 }, { unique: true });
designationSchema.index({ fileId: 1 }, { unique: true });

export const Designation = mongoose.model('Designation', designationSchema);

export interface AmendmentRecord {
  /** The published document being amended: one amendment in progress per document. */
  _id: mongoose.Types.ObjectId;
  /** The successor draft's id, chosen before it is created. */
  successor: mongoose.Types.ObjectId;
  at: Date;
  /** The 'amend' event is on the amended document's history. */
  announced: boolean;
}

const amendmentSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    successor: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    at: { type: Date, required: true },
    announced: { type: Boolean, default: false },
  },
  { collection: 'amendments', versionKey: false },
);
amendmentSchema.index({ successor: 1 }, { unique: true });

export const Amendment = mongoose.model('Amendment', amendmentSchema);

/**
 * The numbers of a standard's amendments (docs/amendments.md): «Изменение № N к СТ СГ 5-2026», N counted per
 * standard. Like the designation register, a number is taken by inserting it under unique keys — (standard,
 * n) and document — so two amendments never take the same number and an amendment never takes two.
 */
export interface AmendmentNumberRecord extends Omit<DesignationRecord, 'year'> {
  standard: mongoose.Types.ObjectId;
  editionFileId: mongoose.Types.ObjectId;
}

const amendmentNumberSchema = new Schema(
  {
    standard: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    n: { type: Number, required: true, min: 1 },
    designation: { type: String, required: true },
    document: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    revision: { type: Number, required: true, min: 1 },
    publishedAt: { type: Date, required: true },
    entryIntoForce: { type: [new Schema({ code: { type: String, required: true }, date: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ } }, { _id: false })], default: [] },
    fileId: { type: Schema.Types.ObjectId, required: true },
    /** The consolidated edition's file, chosen with the number (docs/amendments.md). */
    editionFileId: { type: Schema.Types.ObjectId, required: true },
    lease: { type: new Schema({ id: String, until: Date }, { _id: false }), default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'amendmentnumbers', versionKey: false },
);
amendmentNumberSchema.index({ standard: 1, n: 1 }, { unique: true });
amendmentNumberSchema.index({ document: 1 }, { unique: true });
amendmentNumberSchema.index({ fileId: 1 }, { unique: true });

export const AmendmentNumber = mongoose.model('AmendmentNumber', amendmentNumberSchema);

/**
 * The claim on amending a standard by an amendment (docs/amendments.md): one at a time. Keyed by the
 * standard, it names the amendment's id before its draft is made, so a double click or a retry after a
 * crash makes (or finds) that one draft and never a second.
 */
export interface AmendmentClaimRecord {
  _id: mongoose.Types.ObjectId;
  amendment: mongoose.Types.ObjectId;
  at: Date;
}

const amendmentClaimSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    amendment: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    at: { type: Date, required: true },
  },
  { collection: 'amendmentclaims', versionKey: false },
);

export const AmendmentClaim = mongoose.model('AmendmentClaim', amendmentClaimSchema);
