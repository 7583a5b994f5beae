import { mongoose, Schema, maxChars } from '../db/mongoose.js';
import type { Clause } from '../text/clauses.js';
import type { Day } from '../time/days.js';
import { DOCUMENT_STATES, type DocumentState, type ProgrammeStage } from '../lifecycle/table.js';

export interface HistoryEvent {
  at: Date;
  by: mongoose.Types.ObjectId | null;
  byName: string;
  action: string;
  from: DocumentState | null;
  to: DocumentState | null;
  revision: number;
  note?: string;
}

export interface PublicationInfo {
  designation: string;
  revision: number;
  publishedAt: Date;
  /** Entry into force per country code (BY, RU): committee days. */
  entryIntoForce: Record<string, Day>;
  fileId: mongoose.Types.ObjectId;
  sha256: string;
  size: number;
}

/**
 * One edition of a published standard (docs/amendments.md): the first publication, then each consolidated
 * text «Издание (год) с Изменением № N» — its revision, its stored file and hash, and the amendments in it.
 */
export interface EditionInfo {
  revision: number;
  publishedAt: Date;
  fileId: mongoose.Types.ObjectId;
  sha256: string;
  size: number;
  /** The amendment documents whose changes this edition includes, and their numbers. */
  amendments: { id: mongoose.Types.ObjectId; number: number; designation: string }[];
}

/** A delegation's released national position of one round, as the document records it. */
export interface ReleasedPosition {
  round: number;
  delegation: string;
  at: Date;
}

export type ProgrammeTargets = Record<ProgrammeStage, Day>;

export interface DocumentRecord {
  _id: mongoose.Types.ObjectId;
  titles: { ru: string; en: string };
  kind: string;
  productGroup: string;
  ics: string;
  developer: string;
  state: DocumentState;
  stage: string;
  round: number;
  currentRevision: number;
  rev: number;
  history: HistoryEvent[];
  commentPeriod?: { revision: number; opensAt: Date; closesAt: Date } | null;
  /**
   * The national positions released on this document, per round and delegation (server/comments/position.ts
   * records each before it numbers the comments): a comment is checked against this record, read with the
   * document. Absent on documents no delegation has released on.
   */
  releasedPositions?: ReleasedPosition[];
  /** Set when the ballot opens: which revision, until when, under which approval rule. */
  ballotPeriod?: { revision: number; opensAt: Date; closesAt: Date; rule: 'unanimity' | 'iso' } | null;
  designation?: string | null;
  /** Set on publication (publishing feature). */
  publication?: PublicationInfo | null;
  /** The published document this one amends, and the one that superseded this one. */
  supersedes?: mongoose.Types.ObjectId | null;
  supersededBy?: mongoose.Types.ObjectId | null;
  /** An amendment (Изменение № N, docs/amendments.md): the published standard it changes, and its number once published. */
  amends?: mongoose.Types.ObjectId | null;
  /** The standard's revision (its edition's text) the amendment changes. */
  amendsRevision?: number | null;
  amendmentNumber?: number | null;
  /** A standard's consolidated editions, oldest first (docs/amendments.md); absent until it is first amended. */
  editions?: EditionInfo[];
  /** What follows each committed move until it has run (server/lifecycle/pending.ts). */
  pendingReactions?: { id: string; move: string; from: DocumentState; at: Date }[];
  /** The work programme's target day of each stage (docs/programme.md); absent on documents made before it. */
  targets?: ProgrammeTargets | null;
  /** The committee day the document left force, and when that was recorded. */
  withdrawal?: { date: Day; reason: string; recordedAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a read of a document returns: everything but the search fields the catalogue keeps on it. */
export const documentFields = {
  titles: 1, kind: 1, productGroup: 1, ics: 1, developer: 1, state: 1, stage: 1, round: 1, currentRevision: 1, rev: 1, history: 1, commentPeriod: 1, releasedPositions: 1, ballotPeriod: 1,
  designation: 1, publication: 1, supersedes: 1, supersededBy: 1, amends: 1, amendsRevision: 1, amendmentNumber: 1, editions: 1, withdrawal: 1, targets: 1, createdAt: 1, updatedAt: 1,
} as const;

const historySchema = new Schema<HistoryEvent>(
  {
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    byName: { type: String, required: true },
    action: { type: String, required: true },
    from: { type: String, enum: [...DOCUMENT_STATES, null], default: null },
    to: { type: String, enum: [...DOCUMENT_STATES, null], default: null },
    revision: { type: Number, required: true },
    note: { type: String, validate: maxChars(2000) },
  },
  { _id: false },
);

const documentSchema = new Schema(
  {
    titles: {
      ru: { type: String, required: true, trim: true, validate: maxChars(500) },
      en: { type: String, required: true, trim: true, validate: maxChars(500) },
    },
    kind: { type: String, required: true },
    productGroup: { type: String, required: true },
    ics: { type: String, required: true, match: /^\d{2}(\.\d{3}(\.\d{2})?)?$/ },
    developer: { type: String, required: true, trim: true, validate: maxChars(300) },
    state: { type: String, required: true, enum: DOCUMENT_STATES },
    stage: { type: String, required: true },
    round: { type: Number, default: 0 },
    currentRevision: { type: Number, required: true },
    // Bumped by every transition; a transition applies only to the rev it was decided on.
    rev: { type: Number, default: 0 },
    history: { type: [historySchema], default: [] },
    commentPeriod: {
      type: new Schema({ revision: Number, opensAt: Date, closesAt: Date }, { _id: false }),
      default: null,
    },
    releasedPositions: {
      type: [new Schema({ round: { type: Number, required: true }, delegation: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false })],
      default: undefined,
    },
    ballotPeriod: {
      type: new Schema({ revision: Number, opensAt: Date, closesAt: Date, rule: { type: String, enum: ['unanimity', 'iso'] } }, { _id: false }),
      default: null,
    },
    // Absent until publication: the unique sparse index skips documents without one.
    designation: { type: String },
    publication: {
      type: new Schema(
        { designation: String, revision: Number, publishedAt: Date, entryIntoForce: { type: Map, of: String }, fileId: Schema.Types.ObjectId, sha256: String, size: Number },
        { _id: false },
      ),
      default: null,
    },
    supersedes: { type: Schema.Types.ObjectId, ref: 'Document', default: null },
    supersededBy: { type: Schema.Types.ObjectId, ref: 'Document', default: null },
    amends: { type: Schema.Types.ObjectId, ref: 'Document', default: undefined },
    amendsRevision: { type: Number, default: undefined },
    amendmentNumber: { type: Number, default: undefined },
    editions: {
      type: [new Schema({ revision: Number, publishedAt: Date, fileId: Schema.Types.ObjectId, sha256: String, size: Number, amendments: [new Schema({ id: Schema.Types.ObjectId, number: Number, designation: String }, { _id: false })] }, { _id: false })],
      default: undefined,
    },
    withdrawal: { type: new Schema({ date: String, reason: String, recordedAt: Date }, { _id: false }), default: null },
    targets: { type: new Schema({ circulation: String, commentsEnd: String, ballot: String, publication: String }, { _id: false }), default: null },
    pendingReactions: {
      type: [new Schema({ id: { type: String, required: true }, move: { type: String, required: true }, from: { type: String, enum: DOCUMENT_STATES }, at: { type: Date, required: true } }, { _id: false })],
      default: undefined,
    },
    // Catalogue search (no $text on the embedded engine): stemmed words of titles and scope, and a
    // Russian sort key; kept by the publishing feature.
    searchTokens: { type: [String], default: undefined },
    sortKey: { type: String, default: undefined },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);
// Documents in some states, newest change first: the list outside the committee (published and withdrawn),
// a page at a time, with _id ordering those changed at the same moment alike on every page.
documentSchema.index({ state: 1, updatedAt: -1, _id: -1 });
documentSchema.index({ productGroup: 1 });
// The work programme's plan of one product group, newest change first (server/documents/targets.ts).
documentSchema.index({ productGroup: 1, updatedAt: -1 });
documentSchema.index({ designation: 1 }, { unique: true, sparse: true });
documentSchema.index({ searchTokens: 1 });
// The amendments of a standard (docs/amendments.md): the one under way, and the published ones counted.
documentSchema.index({ amends: 1, state: 1 }, { sparse: true });
documentSchema.index({ state: 1, sortKey: 1 });
// The committee's document list: every document, newest change first, a page at a time (the same tie-break).
documentSchema.index({ updatedAt: -1, _id: -1 });
// The sweep's question every minute: moves whose reactions have not finished (absent on most documents).
documentSchema.index({ 'pendingReactions.at': 1 }, { sparse: true });

export const DocumentModel = mongoose.model('Document', documentSchema);

export interface RevisionEdit {
  version: number;
  at: Date;
  by: mongoose.Types.ObjectId;
  byName: string;
  action: string;
  clauseKey?: string;
  /** The comment whose proposed change this edit applied (docs/applying-changes.md). */
  comment?: string | null;
}

export interface RevisionRecord {
  _id: mongoose.Types.ObjectId;
  document: mongoose.Types.ObjectId;
  number: number;
  frozen: boolean;
  frozenAt?: Date | null;
  clauses: Clause[];
  version: number;
  edits: RevisionEdit[];
  basedOn?: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const revisionSchema = new Schema(
  {
    document: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    number: { type: Number, required: true, min: 1 },
    frozen: { type: Boolean, default: false },
    frozenAt: { type: Date, default: null },
    // Plain data checked by validateClauses in the service; Mongoose does not cast inside.
    clauses: { type: [Schema.Types.Mixed], default: [] },
    // Edit counter: a save applies only to the version the editor saw.
    version: { type: Number, default: 0 },
    edits: {
      type: [new Schema({ version: Number, at: Date, by: Schema.Types.ObjectId, byName: String, action: String, clauseKey: String, comment: { type: String, default: undefined } }, { _id: false })],
      default: [],
    },
    basedOn: { type: Number, default: null },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, minimize: false },
);
revisionSchema.index({ document: 1, number: 1 }, { unique: true });

revisionSchema.pre('save', function () {
  // Revisions change only through conditional updates that match `frozen: false` (writeRevision and the
  // freeze in server/documents/service.ts), never by saving a loaded document.
  if (!this.isNew) throw new Error('a stored revision changes only through conditional updates');
});

export const Revision = mongoose.model('Revision', revisionSchema);

export interface ProductGroupRecord {
  _id: mongoose.Types.ObjectId;
  code: string;
  name: { ru: string; en: string };
  active: boolean;
}

const productGroupSchema = new Schema(
  {
    code: { type: String, required: true, unique: true, match: /^[a-z0-9-]{2,40}$/ },
    name: {
      ru: { type: String, required: true, trim: true, validate: maxChars(200) },
      en: { type: String, required: true, trim: true, validate: maxChars(200) },
    },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

export const ProductGroup = mongoose.model('ProductGroup', productGroupSchema);
