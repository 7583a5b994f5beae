import { mongoose, Schema, maxChars } from '../db/mongoose.js';
import { votes, type ApprovalRule, type BallotResult, type Vote } from './tally.js';

/** A delegation's current vote; replaced when the head changes it. */
export interface Position {
  delegation: string;
  vote: Vote;
  /** Required when disapproving; none otherwise. */
  reasons?: string | null;
  by: mongoose.Types.ObjectId;
  byName: string;
  at: Date;
}

/** Every cast and change, in order: who voted when (the page's record, and the source of history events). */
export interface Cast extends Position {
  action: 'vote' | 'changeVote';
  previous?: Vote | null;
}

export interface BallotRecord {
  _id: mongoose.Types.ObjectId;
  document: mongoose.Types.ObjectId;
  /** The ballot of the document's ballotPeriod with this opening time (one document may hold several ballots). */
  opensAt: Date;
  closesAt: Date;
  revision: number;
  round: number;
  rule: ApprovalRule;
  status: 'open' | 'closed';
  /** Bumped by every vote: a vote applies only to the ballot as its voter read it. */
  seq: number;
  positions: Position[];
  casts: Cast[];
  closedAt?: Date | null;
  closedBecause?: 'allVoted' | 'deadline' | null;
  /** The delegations entitled to vote, fixed when the ballot closes. */
  delegations: string[];
  result?: Exclude<BallotResult, 'pending'> | null;
  /** Comments made from the reasons of a failed ballot: their ids are fixed before they are made. */
  followUp?: { delegation: string; comment: mongoose.Types.ObjectId }[] | null;
  /** The document has been moved on (or had already left the ballot). */
  finishedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ballotFields = {
  document: 1, opensAt: 1, closesAt: 1, revision: 1, round: 1, rule: 1, status: 1, seq: 1, positions: 1, casts: 1,
  closedAt: 1, closedBecause: 1, delegations: 1, result: 1, followUp: 1, finishedAt: 1, createdAt: 1, updatedAt: 1,
} as const;

const positionFields = {
  delegation: { type: String, required: true },
  vote: { type: String, enum: votes, required: true },
  reasons: { type: String, validate: maxChars(10_000), default: null },
  by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  byName: { type: String, required: true },
  at: { type: Date, required: true },
};

const ballotSchema = new Schema(
  {
    document: { type: Schema.Types.ObjectId, ref: 'Document', required: true },
    opensAt: { type: Date, required: true },
    closesAt: { type: Date, required: true },
    revision: { type: Number, required: true },
    round: { type: Number, required: true },
    rule: { type: String, enum: ['unanimity', 'iso'], required: true },
    status: { type: String, enum: ['open', 'closed'], default: 'open' },
    seq: { type: Number, default: 0 },
    positions: { type: [new Schema(positionFields, { _id: false })], default: [] },
    casts: {
      type: [new Schema({ ...positionFields, action: { type: String, enum: ['vote', 'changeVote'], required: true }, previous: { type: String, enum: [...votes, null], default: null } }, { _id: false })],
      default: [],
    },
    closedAt: { type: Date, default: null },
    closedBecause: { type: String, enum: ['allVoted', 'deadline', null], default: null },
    delegations: { type: [String], default: [] },
    result: { type: String, enum: ['approved', 'failed', null], default: null },
    followUp: { type: [new Schema({ delegation: String, comment: Schema.Types.ObjectId }, { _id: false })], default: undefined },
    finishedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
// One record per ballot: of two simultaneous first votes, one creates it and the other finds it.
ballotSchema.index({ document: 1, opensAt: 1 }, { unique: true });
// The sweep's question: closed ballots whose document has not been moved yet.
ballotSchema.index({ status: 1, finishedAt: 1 });

export const Ballot = mongoose.model('Ballot', ballotSchema);
