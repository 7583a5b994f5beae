// A systematic review of a published standard (docs/review.md): a ballot of its own kind, one record per review.
import { mongoose, Schema, maxChars } from '../db/mongoose.js';

export const answers = ['confirm', 'revise', 'amend', 'withdraw'] as const;
export type Answer = (typeof answers)[number];

export interface ReviewAnswer {
  delegation: string;
  answer: Answer;
  reason: string;
  by: mongoose.Types.ObjectId;
  byName: string;
  at: Date;
}

export interface ReviewRecord {
  _id: mongoose.Types.ObjectId;
  document: mongoose.Types.ObjectId;
  /** 1 for the standard's first review, 2 for the next…: with the document, unique (one review opened at a time). */
  number: number;
  designation: string;
  /** The review date that made it due (a committee day). */
  dueOn: string;
  openedAt: Date;
  closesAt: Date;
  openedBy: mongoose.Types.ObjectId;
  openedByName: string;
  /** open: taking answers; closed: answers final, outcome (or disagreement) known, act not yet drawn up; done: act made, action taken. */
  status: 'open' | 'closed' | 'done';
  seq: number;
  answers: ReviewAnswer[];
  closedAt?: Date | null;
  closedBecause?: 'allAnswered' | 'deadline' | null;
  /** The delegations entitled to answer, fixed when the review closes. */
  delegations: string[];
  /** What the delegations agreed on; null when they did not (the secretariat decides: «разногласие»). */
  agreed?: Answer | null;
  /** The outcome the act records: the agreed answer, or the secretariat's decision. */
  outcome?: Answer | null;
  decisionReason?: string | null;
  decidedBy?: mongoose.Types.ObjectId | null;
  decidedByName?: string | null;
  decidedAt?: Date | null;
  /** What the outcome led to. */
  followUp?: { nextReview?: string | null; successor?: mongoose.Types.ObjectId | null; withdrawnOn?: string | null; amendment?: mongoose.Types.ObjectId | null } | null;
  act?: { fileId: mongoose.Types.ObjectId; at: Date; sha256: string; size: number } | null;
  createdAt: Date;
  updatedAt: Date;
}

export const reviewFields = {
  document: 1, number: 1, designation: 1, dueOn: 1, openedAt: 1, closesAt: 1, openedBy: 1, openedByName: 1, status: 1, seq: 1, answers: 1, closedAt: 1, closedBecause: 1,
  delegations: 1, agreed: 1, outcome: 1, decisionReason: 1, decidedBy: 1, decidedByName: 1, decidedAt: 1, followUp: 1, act: 1, createdAt: 1, updatedAt: 1,
} as const;

const reviewSchema = new Schema(
  {
    document: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    number: { type: Number, required: true },
    designation: { type: String, required: true },
    dueOn: { type: String, required: true },
    openedAt: { type: Date, required: true },
    closesAt: { type: Date, required: true },
    openedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    openedByName: { type: String, required: true },
    status: { type: String, enum: ['open', 'closed', 'done'], default: 'open' },
    seq: { type: Number, default: 0 },
    answers: {
      type: [new Schema({ delegation: { type: String, required: true }, answer: { type: String, enum: answers, required: true }, reason: { type: String, required: true, validate: maxChars(10_000) }, by: { type: Schema.Types.ObjectId, required: true }, byName: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false })],
      default: [],
    },
    closedAt: { type: Date, default: null },
    closedBecause: { type: String, enum: ['allAnswered', 'deadline', null], default: null },
    delegations: { type: [String], default: [] },
    agreed: { type: String, enum: [...answers, null], default: null },
    outcome: { type: String, enum: [...answers, null], default: null },
    decisionReason: { type: String, validate: maxChars(10_000), default: null },
    decidedBy: { type: Schema.Types.ObjectId, default: null },
    decidedByName: { type: String, default: null },
    decidedAt: { type: Date, default: null },
    followUp: { type: new Schema({ nextReview: String, successor: Schema.Types.ObjectId, withdrawnOn: String, amendment: Schema.Types.ObjectId }, { _id: false }), default: null },
    act: { type: new Schema({ fileId: Schema.Types.ObjectId, at: Date, sha256: String, size: Number }, { _id: false }), default: null },
  },
  { timestamps: true },
);
// A document's reviews in order; of two secretaries opening the same review at once, one inserts.
reviewSchema.index({ document: 1, number: 1 }, { unique: true });
// The sweep's question: open reviews (and their closing times).
reviewSchema.index({ status: 1, closesAt: 1 });

export const Review = mongoose.model('Review', reviewSchema);
