import { Schema, mongoose } from '../db/mongoose.js';

/**
 * A listener that failed after its move was committed (server/lifecycle/listeners.ts): the move stands,
 * and the reaction is tried again by the scheduled job until it succeeds or has failed `attempts` times.
 */
export interface MissedReactionRecord {
  _id: mongoose.Types.ObjectId;
  listener: string;
  move: string;
  document: mongoose.Types.ObjectId;
  /** The move as the listener saw it (documents without their history), replayed on retry. */
  event: Record<string, unknown>;
  requestId: string | null;
  error: string;
  attempts: number;
  at: Date;
  lastTriedAt: Date;
}

const schema = new Schema(
  {
    listener: { type: String, required: true },
    move: { type: String, required: true },
    document: { type: Schema.Types.ObjectId, required: true },
    event: { type: Schema.Types.Mixed, required: true },
    requestId: { type: String, default: null },
    error: { type: String, required: true },
    attempts: { type: Number, default: 1 },
    at: { type: Date, required: true },
    lastTriedAt: { type: Date, required: true },
  },
  { collection: 'missedreactions', versionKey: false, minimize: false },
);
// The retry job's question: the oldest reactions not yet given up, up to 100 (sorted by `at`, the
// attempts checked on the index's keys).
schema.index({ at: 1, attempts: 1 });

export const MissedReaction = mongoose.model('MissedReaction', schema);
