// Who reacts to a move: the listeners given to createLifecycle (server/system.ts lists them). They run
// after the move is committed, one after another; a listener that fails is logged with the request id and
// recorded (server/lifecycle/model.ts), and the scheduled job tries it again. A failure never turns the
// completed move into an error answer, and never stops the listeners after it.
import type { Logger } from 'pino';
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import type { DocumentRecord } from '../documents/model.js';
import { MissedReaction, type MissedReactionRecord } from './model.js';

export interface MoveEvent {
  actor: CurrentUser | null;
  name: string;
  before: DocumentRecord;
  after: DocumentRecord;
  /** The instant of the move. */
  now: Date;
}

export interface Listener {
  /** Stable: a recorded failure is retried by the listener of this name. */
  name: string;
  /** Must be safe to run again for the same move (a retry after a failure part-way). */
  onMove(event: MoveEvent): Promise<void> | void;
}

/** After this many failed attempts a reaction stays recorded for a person to look at, and is not retried. */
export const MAX_ATTEMPTS = 5;

const withoutHistory = (d: DocumentRecord): DocumentRecord => ({ ...d, history: [] });

export async function runListeners(listeners: readonly Listener[], event: MoveEvent, log: Logger, requestId: string | null): Promise<void> {
  for (const listener of listeners) {
    try {
      await listener.onMove(event);
    } catch (err) {
      log.error({ err, listener: listener.name, move: event.name, document: String(event.after._id) }, 'a reaction to a move failed; it is recorded and will be tried again');
      await MissedReaction.create({
        listener: listener.name,
        move: event.name,
        document: event.after._id,
        event: { actor: event.actor, name: event.name, before: withoutHistory(event.before), after: withoutHistory(event.after), now: event.now },
        requestId,
        error: err instanceof Error ? err.message : String(err),
        attempts: 1,
        at: event.now,
        lastTriedAt: event.now,
      }).catch((recordErr: unknown) => log.error({ err: recordErr, listener: listener.name }, 'a failed reaction could not be recorded'));
    }
  }
}

/**
 * Tries every recorded reaction again, oldest first; one that succeeds is removed, one that fails counts
 * an attempt. Two instances may retry the same record at once: the listeners are idempotent, and the
 * record is removed by whichever succeeds.
 */
export async function retryMissedReactions(listeners: readonly Listener[], now: Date, log: Logger): Promise<{ retried: number; failed: number }> {
  const missed = await MissedReaction.find({ attempts: mongoose.trusted({ $lt: MAX_ATTEMPTS }) }).sort({ at: 1 }).limit(100).lean<MissedReactionRecord[]>();
  let retried = 0;
  let failed = 0;
  for (const m of missed) {
    const listener = listeners.find((l) => l.name === m.listener);
    if (!listener) continue;
    try {
      await listener.onMove(m.event as unknown as MoveEvent);
      await MissedReaction.deleteOne({ _id: m._id });
      retried++;
    } catch (err) {
      failed++;
      log.error({ err, listener: m.listener, move: m.move, document: String(m.document), requestId: m.requestId }, 'a recorded reaction failed again');
      await MissedReaction.updateOne({ _id: m._id }, { $inc: { attempts: 1 }, $set: { lastTriedAt: now, error: err instanceof Error ? err.message : String(err) } });
    }
  }
  return { retried, failed };
}
