import { mongoose, Schema, maxChars } from '../db/mongoose.js';

export const commentTypes = ['ge', 'te', 'ed'] as const;
export type CommentType = (typeof commentTypes)[number];
export const decisions = ['accepted', 'partially', 'rejected', 'noted', 'referred'] as const;
export type Decision = (typeof decisions)[number];
/** Decisions whose proposed change may be applied to the next revision (docs/applying-changes.md). */
export const appliableDecisions: readonly Decision[] = ['accepted', 'partially'];
/** Decisions that must say why. */
export const decisionsNeedingReason: readonly Decision[] = ['rejected', 'partially'];
export const anchorKinds = ['paragraph', 'table', 'figure'] as const;

export type CommentStatus = 'internal' | 'released' | 'dropped' | 'merged';

export interface Reply {
  at: Date;
  by: mongoose.Types.ObjectId;
  byName: string;
  delegation: string | null;
  text: string;
  /** Written while the comment was internal: the delegation's own discussion, never shown to others. */
  internal?: boolean;
}

/** An earlier wording of an internal comment, kept when its author rewrote it or the head merged another into it. */
export interface Edit {
  at: Date;
  by: mongoose.Types.ObjectId;
  byName: string;
  type: CommentType;
  text: string;
  proposedChange?: string | null;
  /** The head joined another comment's text into this one. */
  merged?: boolean;
}

export interface Disposition {
  decision: Decision;
  reason?: string;
  observation?: string;
  appliedInRevision?: number | null;
  /**
   * The clause of `appliedInRevision` the comment's proposed change was applied to from its page
   * (docs/applying-changes.md); null when it was not applied that way. With when and by whom.
   */
  appliedClauseKey?: string | null;
  appliedAt?: Date | null;
  appliedBy?: mongoose.Types.ObjectId | null;
  appliedByName?: string | null;
  /** Decided at a committee meeting (server/meetings): the meeting and its day «yyyy-mm-dd». */
  meeting?: { id: mongoose.Types.ObjectId; day: string } | null;
  by: mongoose.Types.ObjectId;
  byName: string;
  at: Date;
}

/**
 * The commenting delegation's answer to the secretariat's disposition (docs/answers.md): agreed, or not agreed with a reason; recorded by the delegation's head.
 */
export interface Answer {
  agreed: boolean;
  /** Required when not agreed; not kept with an agreement. */
  reason?: string | null;
  by: mongoose.Types.ObjectId;
  byName: string;
  at: Date;
  /** When the disposition answered was given: a later disposition is one the answer did not see. */
  dispositionAt?: Date | null;
}

export interface CommentRecord {
  _id: mongoose.Types.ObjectId;
  document: mongoose.Types.ObjectId;
  round: number;
  revision: number;
  clauseKey: string;
  anchor?: { kind: (typeof anchorKinds)[number]; ref: string } | null;
  /** The line number of the commented text as the author gave it («12», «12–15»), for the ISO template's column. */
  line?: string | null;
  type: CommentType;
  text: string;
  proposedChange?: string;
  delegation: string;
  author: mongoose.Types.ObjectId;
  authorName: string;
  status: CommentStatus;
  mergedInto?: mongoose.Types.ObjectId | null;
  number?: string | null;
  seq?: number | null;
  replies: Reply[];
  /** Earlier wordings, oldest first: the delegation's edit trail, never shown outside it. */
  edits?: Edit[];
  disposition?: Disposition | null;
  /** Dispositions given before the current one, oldest first (e.g. «referred» before the meeting decided). */
  earlierDispositions?: Disposition[];
  /** The delegation's current answer to the disposition, if any. */
  answer?: Answer | null;
  /** Every answer recorded, oldest first (the last is the current one). */
  answers?: Answer[];
  /** Imported from a file, and the clause it named matched none: the clause as written, for the head to see. */
  unmatchedClause?: string | null;
  /** On the document as a whole («General», or a clause not found), kept at the first clause's place. */
  wholeDocument?: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const replySchema = new Schema<Reply>(
  { at: Date, by: { type: Schema.Types.ObjectId, ref: 'User' }, byName: String, delegation: { type: String, default: null }, text: { type: String, validate: maxChars(10_000) }, internal: { type: Boolean, default: false } },
  { _id: true },
);

const editSchema = new Schema<Edit>(
  { at: Date, by: { type: Schema.Types.ObjectId, ref: 'User' }, byName: String, type: { type: String, enum: commentTypes }, text: { type: String, validate: maxChars(10_000) }, proposedChange: { type: String, default: null }, merged: { type: Boolean, default: false } },
  { _id: false },
);

const dispositionSchema = new Schema<Disposition>(
  {
    decision: { type: String, enum: decisions, required: true },
    reason: { type: String, validate: maxChars(10_000) },
    observation: { type: String, validate: maxChars(10_000) },
    appliedInRevision: { type: Number, default: null },
    appliedClauseKey: { type: String, default: null },
    appliedAt: { type: Date, default: null },
    appliedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    appliedByName: { type: String, default: null },
    meeting: { type: new Schema({ id: { type: Schema.Types.ObjectId, ref: 'Meeting' }, day: String }, { _id: false }), default: null },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    byName: String,
    at: Date,
  },
  { _id: false },
);

const answerSchema = new Schema<Answer>(
  {
    agreed: { type: Boolean, required: true },
    reason: { type: String, default: null, validate: maxChars(10_000) },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    byName: String,
    at: Date,
    dispositionAt: { type: Date, default: null },
  },
  { _id: false },
);

const commentSchema = new Schema(
  {
    document: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    round: { type: Number, required: true },
    revision: { type: Number, required: true },
    clauseKey: { type: String, required: true },
    anchor: { type: new Schema({ kind: { type: String, enum: anchorKinds }, ref: { type: String, validate: maxChars(100) } }, { _id: false }), default: null },
    line: { type: String, default: null, validate: maxChars(40) },
    type: { type: String, enum: commentTypes, required: true },
    text: { type: String, required: true, validate: maxChars(10_000) },
    proposedChange: { type: String, validate: maxChars(10_000) },
    delegation: { type: String, required: true },
    author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    authorName: { type: String, required: true },
    status: { type: String, enum: ['internal', 'released', 'dropped', 'merged'], default: 'internal' },
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    number: { type: String, default: null },
    seq: { type: Number, default: null },
    numberKey: { type: String },
    replies: { type: [replySchema], default: [] },
    edits: { type: [editSchema], default: [] },
    disposition: { type: dispositionSchema, default: null },
    earlierDispositions: { type: [dispositionSchema], default: [] },
    answer: { type: answerSchema, default: null },
    answers: { type: [answerSchema], default: [] },
    // Edit counter for the delegation's own edits before release.
    version: { type: Number, default: 0 },
    // The place in the summary: clause, then anchor (orderKey in position.ts); then the time of writing.
    order: { type: String },
    // A comment imported from a file (server/comments/import/): document:revision:delegation:hash of the
    // row's content, absent otherwise; the same row uploaded again is found by it and not stored twice.
    importKey: { type: String },
    unmatchedClause: { type: String, default: null, validate: maxChars(200) },
    wholeDocument: { type: Boolean, default: false },
  },
  { timestamps: true },
);
// A delegation's comments of a round, and its released ones by number: the next number of a follow-up
// comment (the last seq), and the open comments the ballot guard names in delegation and number order
// (status, fixed by the filter, does not break that order).
commentSchema.index({ document: 1, round: 1, delegation: 1, status: 1, seq: 1 });
commentSchema.index({ document: 1, round: 1, status: 1, 'disposition.decision': 1 });
// The comments referred to a meeting, across documents: what a meeting's agenda is built from (server/meetings).
commentSchema.index({ 'disposition.decision': 1, status: 1 });
// The comments applied to a document's revisions: what the redline shows beside each changed clause (docs/applying-changes.md).
commentSchema.index({ document: 1, 'disposition.appliedInRevision': 1 });
// The summary of a round in its order, a page or the whole of it (queries.ts).
commentSchema.index({ document: 1, round: 1, status: 1, order: 1, createdAt: 1, _id: 1 });
// A number is given once: the same BY-007 can never stand on two comments of a round. One field
// (document:round:number), absent until numbered, because a sparse unique index skips only documents
// that lack the field — and the embedded engine honours sparse, not partial, indexes.
commentSchema.index({ numberKey: 1 }, { unique: true, sparse: true });
// One comment per imported row and delegation's revision, sparse for the same reason as numberKey.
commentSchema.index({ importKey: 1 }, { unique: true, sparse: true });

export const Comment = mongoose.model('Comment', commentSchema);

type Checked = { doValidateSync(value: unknown, scope: unknown): Error | null; $isMongooseArray?: boolean; $isSingleNested?: boolean };

/**
 * The checks saving a new comment would make — every validator of each of its fields, the anchor's own
 * fields too (required, enums, lengths) — run at once on the plain object, without a Mongoose document.
 * Throws the ValidationError that saving would. A comment with entries in its arrays (replies, edits…)
 * is no new comment: `Comment.validate` checks those.
 */
export function validateNewComment(doc: Record<string, unknown>): void {
  // Made only when a value fails: an Error records its stack when made, which costs as much as the checks.
  let error: mongoose.Error.ValidationError | undefined;
  const check = (path: string, type: Checked, value: unknown, scope: unknown) => {
    const err = type.doValidateSync(value, scope);
    if (err) (error ??= new mongoose.Error.ValidationError()).addError(path, err as never);
  };
  for (const [path, type] of Object.entries(commentSchema.paths) as unknown as [string, Checked][]) {
    const value = doc[path];
    if (type.$isMongooseArray) {
      if (Array.isArray(value) && value.length) throw new Error(`validateNewComment: ${path} is not empty`);
      continue;
    }
    if (type.$isSingleNested && value != null) {
      for (const [sub, subType] of Object.entries((type as unknown as { schema: { paths: Record<string, Checked> } }).schema.paths)) {
        check(`${path}.${sub}`, subType, (value as Record<string, unknown>)[sub], value);
      }
      continue;
    }
    check(path, type, value, doc);
  }
  if (error) throw error;
}

/**
 * One record per document (`_id` is the document's): counters bumped after every change to the document's
 * released comments — `released` after a release, `decided` after a disposition, an answer or an applied
 * change. The summary's order is kept in memory per filter and read again only when a counter it depends on
 * moved (summary-order.ts), so every instance sees every change at its next request: the check is one point read.
 */
const commentsVersionSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    released: { type: Number, default: 0 },
    decided: { type: Number, default: 0 },
  },
  { versionKey: false },
);

export const CommentsVersion = mongoose.model('CommentsVersion', commentsVersionSchema, 'commentsversions');

/**
 * A delegation's national position for one round: created once when the head releases it (the unique
 * index lets one release win), then comments are numbered; `numbered` marks the end of that step.
 */
const positionSchema = new Schema(
  {
    document: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    round: { type: Number, required: true },
    delegation: { type: String, required: true },
    releasedAt: { type: Date, required: true },
    releasedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    releasedByName: String,
    numbered: { type: Boolean, default: false },
    count: { type: Number, default: 0 },
  },
  { timestamps: true },
);
positionSchema.index({ document: 1, round: 1, delegation: 1 }, { unique: true });

export const NationalPosition = mongoose.model('NationalPosition', positionSchema);

export interface PositionRecord {
  _id: mongoose.Types.ObjectId;
  document: mongoose.Types.ObjectId;
  round: number;
  delegation: string;
  releasedAt: Date;
  releasedByName?: string;
  numbered: boolean;
  count: number;
}
