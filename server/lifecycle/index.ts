// The document lifecycle (docs/architecture.md, «A document's life»): built once by server/system.ts with
// the features' fact providers and listeners, and passed to whatever moves documents (routes, jobs, the
// demo, tests). A move:
//   1. loads the document and finds the transition in the table (server/lifecycle/table.ts);
//   2. asks only the fact providers its own guards name (server/lifecycle/facts.ts) and checks it;
//   3. prepares and applies the transition's effects (server/lifecycle/effects.ts);
//   4. commits: one conditional update changes the state and appends the history event, so of two
//      simultaneous moves one wins (history is appended here and in history.ts, nowhere else);
//   5. runs the effects that follow the commit, then the listeners (server/lifecycle/listeners.ts), whose
//      failures are logged and recorded for retry, never answered as errors; the commit marks this work on
//      the document, so a process that dies before it is done leaves it to the scheduled job (pending.ts).
import type { Logger } from 'pino';
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { DocumentModel, documentFields, type DocumentRecord } from '../documents/model.js';
import { Conflict, Forbidden, InvalidTransition, NotFound, InvalidInput } from '../errors.js';
import { EFFECTS, type EffectInput, type FollowUp } from './effects.js';
import { periodFacts, unasked, type Blocker, type FactProvider, type FactProviders } from './facts.js';
import { historyEvent, pushEvent } from './history.js';
import { retryMissedReactions, runListeners, type Listener } from './listeners.js';
import { overdueReactions, pendingReaction, reactionDone, type PendingReaction } from './pending.js';
import { checkTransition, findTransition, GUARDS, factsFor, TRANSITIONS, type FactSource, type GuardName, type TransitionCheck, type WorkflowContext } from './table.js';

export type { Blocker, FactProvider, FactProviders } from './facts.js';
export type { Listener, MoveEvent } from './listeners.js';

export interface LifecycleDeps {
  facts: FactProviders;
  listeners: readonly Listener[];
  logger: Logger;
}

export interface MoveOptions {
  /** The instant of the move: its history event, the periods it opens and their deadline checks. */
  now: Date;
  note?: string;
  /** The person accepts the quality check's warnings for this move (server/text/quality.ts). */
  acceptWarnings?: boolean;
  /** The document's rev the caller decided on; a newer rev means someone else acted first. */
  rev?: number;
  /** Comment deadline when circulating; ballot closing date when opening the ballot. */
  closesAt?: Date;
  /** Fields the use-case sets in the same update as the move (e.g. the publication record). */
  set?: Record<string, unknown>;
  /** Set by the use-case that owns a dedicated move (server/publishing): the generic path may not make it. */
  dedicated?: boolean;
  /** For 'amend': the id of the successor draft. */
  successorId?: DocumentRecord['_id'];
  /** The request's logger (it carries the request id), for what the listeners log. */
  log?: Logger;
  /**
   * The use-case's own step between the commit and what follows it (publishing reports its 'mark' step
   * here, where a test stands in a crash). If it throws, the move stays made and the rest is left to
   * `finish`, as after a crash.
   */
  afterCommit?: (moved: DocumentRecord) => Promise<void> | void;
}

export interface Lifecycle {
  /** Makes a move, or refuses it with a typed error (GuardRefusal, InvalidTransition, Conflict, …). */
  move(actor: CurrentUser | null, id: string, name: string, opts: MoveOptions): Promise<DocumentRecord>;
  /**
   * What follows a committed move: its `after` effects (superseding the predecessor), then the listeners.
   * The move calls it; a use-case finishing an interrupted attempt calls it again (all of it is idempotent).
   */
  finish(moved: DocumentRecord, name: string, now: Date, opts?: { before?: DocumentRecord; actor?: CurrentUser | null; log?: Logger }): Promise<void>;
  /** What blocks a guard, item by item (empty when its source lists nothing). */
  blockers(guard: GuardName, doc: DocumentRecord, move?: string, locale?: 'ru' | 'en'): Promise<Blocker[]>;
  /**
   * The scheduled job's part: finishes moves whose process stopped between the commit and what follows it
   * (server/lifecycle/pending.ts), then tries the recorded failed reactions again.
   */
  retryMissedReactions(now: Date): Promise<{ finished: number; retried: number; failed: number }>;
}

/** A transition refused by a guard; `guard` names which, so a page can list what blocks it. */
export class GuardRefusal extends InvalidTransition {
  constructor(readonly guard: GuardName, params: Record<string, string | number>) {
    super(`workflow.guard.${guard}`, params);
  }
}

const notFound = 'documents.notFound';
const movedMeanwhile = 'documents.movedMeanwhile';

async function loadDocument(id: string): Promise<DocumentRecord> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound(notFound);
  const doc = await DocumentModel.findById(id).select(documentFields).lean<DocumentRecord>();
  if (!doc) throw new NotFound(notFound);
  return doc;
}

/** The facts of the sources a move's guards read, and the refusal each source would give. */
async function factsOf(providers: Record<FactSource, FactProvider>, sources: readonly FactSource[], doc: DocumentRecord, now: Date, move: string): Promise<{ context: WorkflowContext; refusals: Map<FactSource, Error> }> {
  const context: WorkflowContext = { ...unasked };
  const refusals = new Map<FactSource, Error>();
  for (const source of sources) {
    const { refusal, ...facts } = await providers[source].facts(doc, now, move);
    Object.assign(context, facts);
    if (refusal) refusals.set(source, refusal);
  }
  return { context, refusals };
}

/** The error a refused move answers with: the facts' own refusal when a guard refused, else the table's reason. */
function refusalOf(check: Extract<ReturnType<typeof checkTransition>, { ok: false }>, context: WorkflowContext, refusals: Map<FactSource, Error>, doc: DocumentRecord, name: string): Error {
  if (check.reason === 'forbiddenActor') return new Forbidden('errors.forbidden');
  if (check.reason === 'guard') return refusals.get(GUARDS[check.guard!].facts) ?? new GuardRefusal(check.guard!, { count: context.openComments, errors: context.qualityErrors, warnings: context.qualityWarnings });
  return new InvalidTransition(`workflow.reason.${check.reason}`, { state: doc.state, name });
}

/**
 * Steps 3 and 4 of a move its guards allow: the effects prepared and applied, then the one conditional
 * update that changes the state, appends the history event and marks what follows as still to do.
 */
async function commitMove(actor: CurrentUser | null, doc: DocumentRecord, name: string, check: Extract<TransitionCheck, { ok: true }>, opts: MoveOptions): Promise<{ moved: DocumentRecord; pending: PendingReaction }> {
  const { now } = opts;
  const input: EffectInput = { actor, doc, now, closesAt: opts.closesAt, successorId: opts.successorId };
  const effects = check.transition.effects.map((e) => EFFECTS[e]);
  const set: Record<string, unknown> = { ...opts.set, state: check.to, stage: check.stage, round: check.round };
  for (const e of effects) Object.assign(set, await e.prepare?.(input));
  for (const e of effects) await e.apply?.(input);

  const event = historyEvent({ at: now, actor, action: name, revision: doc.currentRevision, from: doc.state, to: check.to, note: opts.note });
  const pending = pendingReaction(name, doc.state, now);
  const moved = await DocumentModel.findOneAndUpdate(
    { _id: doc._id, state: doc.state, rev: doc.rev },
    { $set: set, $inc: { rev: 1 }, $push: { ...pushEvent(event), pendingReactions: pending } },
    { returnDocument: 'after', projection: documentFields },
  ).lean<DocumentRecord>();
  if (!moved) throw new Conflict(movedMeanwhile);
  return { moved, pending };
}

/** Finishes the moves whose process stopped between the commit and what follows it; one that fails again waits for the next run. */
async function finishInterruptedMoves(lifecycle: Lifecycle, now: Date, logger: Logger): Promise<number> {
  let finished = 0;
  for (const { doc, reactions } of await overdueReactions(now)) {
    for (const r of reactions) {
      try {
        await lifecycle.finish(doc, r.move, now, { before: { ...doc, state: r.from } });
        await reactionDone(doc._id, r.id);
        finished++;
      } catch (err) {
        logger.error({ err, move: r.move, document: String(doc._id) }, 'finishing an interrupted move failed; tried again next time');
      }
    }
  }
  return finished;
}

export function createLifecycle(deps: LifecycleDeps): Lifecycle {
  const providers: Record<FactSource, FactProvider> = { ...deps.facts, period: periodFacts };

  const lifecycle: Lifecycle = {
    async move(actor, id, name, opts) {
      const { now } = opts;
      if (actor && actor.role !== 'secretariat') throw new Forbidden('errors.forbidden');
      const named = TRANSITIONS.find((t) => t.name === name);
      if (named?.dedicated && !opts.dedicated) throw new InvalidTransition(named.dedicated, { id });
      if (named?.needsReason && !opts.note?.trim()) throw new InvalidInput('workflow.reasonRequired', {}, { note: 'workflow.reasonRequired' });
      const doc = await loadDocument(id);
      const t = findTransition(doc.state, name);
      const { context, refusals } = await factsOf(providers, t ? factsFor(t) : [], doc, now, name);
      context.warningsAccepted = opts.acceptWarnings === true;
      const check = checkTransition({ state: doc.state, name, actor: actor ? 'secretariat' : 'system', context, round: doc.round });
      if (!check.ok) throw refusalOf(check, context, refusals, doc, name);
      if (opts.rev !== undefined && opts.rev !== doc.rev) throw new Conflict(movedMeanwhile);

      const { moved, pending } = await commitMove(actor, doc, name, check, opts);
      await opts.afterCommit?.(moved);
      await lifecycle.finish(moved, name, now, { before: doc, actor, log: opts.log });
      await reactionDone(moved._id, pending.id);
      return moved;
    },

    async finish(moved, name, now, o = {}) {
      // Every transition of one name has the same effects (cancel is the one name with several sources).
      const t = TRANSITIONS.find((x) => x.name === name);
      const log = o.log ?? deps.logger;
      const followUp: FollowUp = (id, next, f) => lifecycle.move(null, id, next, { ...f, dedicated: true, log });
      for (const e of t?.effects ?? []) await EFFECTS[e].after?.(moved, now, followUp);
      await runListeners(deps.listeners, { actor: o.actor ?? null, name, before: o.before ?? moved, after: moved, now }, log, (log.bindings().reqId as string | undefined) ?? null);
    },

    async blockers(guard, doc, move, locale) {
      const source = GUARDS[guard].facts;
      return (await providers[source].blockers?.(guard, doc, move, locale)) ?? [];
    },

    async retryMissedReactions(now) {
      // First what never ran (its process gone), then what ran and failed.
      const finished = await finishInterruptedMoves(lifecycle, now, deps.logger);
      const retried = await retryMissedReactions(deps.listeners, now, deps.logger);
      return { finished, ...retried };
    },
  };
  return lifecycle;
}
