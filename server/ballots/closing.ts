// Closing a ballot and moving its document on: one result, however many instances, votes and sweeps race.
//
// 1. close: one conditional update of the ballot record (open → closed) that is justified by its own
//    filter (deadline passed, or every entitled delegation has a position); votes require `status: open`
//    in theirs, so the positions it returns are final;
// 2. tally those returned positions (a pure function), store the result;
// 3. if failed, make the disapprovals' reasons into released comments (ids fixed first, so once only);
// 4. move the document with the system's approve / failBallot; the guard reads the same closed ballot.
// A crash anywhere after 1 leaves a closed, unfinished ballot, which the next sweep finishes.
import type { Logger } from 'pino';
import { mongoose } from '../db/mongoose.js';
import { Conflict } from '../errors.js';
import { addReleasedComment } from '../comments/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { documentInBallot as inBallotSince, documentsInState, getRevision } from '../documents/index.js';
import { translate } from '../i18n/index.js';
import type { FactProvider, Lifecycle } from '../lifecycle/index.js';
import { Ballot, ballotFields, type BallotRecord } from './model.js';
import { activeDelegationCodes, ensureBallot, findBallot, recordCast, tallyOf, type BallotDocument } from './store.js';

/** The ballot feature's facts for the `ballotApproved` / `ballotFailed` guards: the tally of the closed ballot; an open one is pending. */
export const ballotFacts: FactProvider = {
  async facts(doc) {
    if (doc.state !== 'ballot') return {};
    const b = await findBallot(doc);
    return { ballotResult: b && b.status === 'closed' ? tallyOf(b, b.delegations).result : 'pending' };
  },
};

/** What closing a ballot needs: the lifecycle that moves its document on, and where to log. */
export interface ClosingDeps {
  lifecycle: Lifecycle;
  logger?: Logger;
}

const ballotDocFields = { state: 1, round: 1, ballotPeriod: 1 } as const;

/** The document, if it is still in the ballot this record belongs to. */
async function documentInBallot(b: Pick<BallotRecord, 'document' | 'opensAt'>): Promise<BallotDocument | null> {
  return inBallotSince(b.document, b.opensAt, ballotDocFields) as Promise<BallotDocument | null>;
}

/**
 * Closes the ballot if it is due at `now` (deadline passed) or every entitled delegation has voted, then
 * finishes it. False when it was not due or someone else closed it first (they finish it).
 */
export async function closeBallot(deps: ClosingDeps, b: Pick<BallotRecord, '_id' | 'closesAt'>, now: Date): Promise<boolean> {
  const codes = await activeDelegationCodes();
  const due = b.closesAt.getTime() <= now.getTime();
  // `$all: []` matches nothing on MongoDB (and everything on the embedded engine): no delegations, no early close.
  if (!due && codes.length === 0) return false;
  const filter: Record<string, unknown> = due
    ? { _id: b._id, status: 'open', closesAt: mongoose.trusted({ $lte: now }) }
    : { _id: b._id, status: 'open', 'positions.delegation': mongoose.trusted({ $all: codes }) };
  const closed = await Ballot.findOneAndUpdate(
    filter,
    { $set: { status: 'closed', closedAt: now, closedBecause: due ? 'deadline' : 'allVoted', delegations: codes }, $inc: { seq: 1 } },
    { returnDocument: 'after', projection: ballotFields },
  ).lean<BallotRecord>();
  if (!closed) return false;
  await finishBallot(deps, closed, now);
  return true;
}

/** Steps 2–4 for a closed ballot; every step may be repeated without effect. True once it is done. */
export async function finishBallot(deps: ClosingDeps, b: BallotRecord, now: Date): Promise<boolean> {
  const t = tallyOf(b, b.delegations);
  const result = t.result === 'approved' ? 'approved' : 'failed';
  await Ballot.updateOne({ _id: b._id, status: 'closed', result: null }, { $set: { result } });
  // A vote stored just before a crash may lack its history event; the document's record is completed here.
  for (const cast of b.casts) await recordCast(b, cast);
  const doc = await documentInBallot(b);
  if (doc) {
    if (result === 'failed') await reasonsToComments(b, doc);
    const note = translate('ru', 'ballots.resultNote', { approve: t.approve, disapprove: t.disapprove, abstain: t.abstain, rule: translate('ru', `ballots.rule.${b.rule}`) });
    try {
      await deps.lifecycle.move(null, String(b.document), result === 'approved' ? 'approve' : 'failBallot', { now, note });
    } catch (err) {
      // Another finisher moved it, or the secretariat cancelled it meanwhile: checked just below.
      if (!(err instanceof Conflict)) throw err;
      deps.logger?.debug({ err, ballot: String(b._id) }, 'ballot finished elsewhere');
    }
    // Still in this ballot: leave it unfinished for the next sweep rather than strand the document.
    if (await documentInBallot(b)) return false;
  }
  await Ballot.updateOne({ _id: b._id, finishedAt: null }, { $set: { finishedAt: now } });
  return true;
}

/**
 * A failed ballot's reasons for disapproving become released comments of that delegation in the current
 * round, so the secretariat must dispose of them before the next ballot. Their ids are fixed on the ballot
 * first (one writer wins), so running this again makes no second comment; numbers continue the
 * delegation's numbers of the round (BY-004 after BY-003), by the comments feature's one numbering.
 */
async function reasonsToComments(b: BallotRecord, doc: BallotDocument): Promise<void> {
  const disapprovals = b.positions.filter((p) => p.vote === 'disapprove' && b.delegations.includes(p.delegation) && p.reasons);
  if (disapprovals.length === 0) return;
  let followUp = b.followUp;
  if (!followUp) {
    const planned = disapprovals.map((p) => ({ delegation: p.delegation, comment: new mongoose.Types.ObjectId() }));
    await Ballot.updateOne({ _id: b._id, followUp: null }, { $set: { followUp: planned } });
    followUp = (await Ballot.findById(b._id).select({ followUp: 1 }).lean<Pick<BallotRecord, 'followUp'>>())?.followUp ?? planned;
  }
  const revision = await getRevision(doc as DocumentRecord, b.revision);
  const clauseKey = revision.clauses[0]?.key;
  if (!clauseKey) return;
  for (const { delegation, comment } of followUp) {
    const p = disapprovals.find((d) => d.delegation === delegation);
    if (!p) continue;
    await addReleasedComment({ _id: comment, document: b.document, round: b.round, revision: b.revision, clauseKey, clauseIndex: 0, text: p.reasons ?? '', delegation, author: p.by, authorName: p.byName });
  }
}

/**
 * The scheduled job (every minute, on any number of instances): closes the ballots whose deadline has
 * passed — and any whose last vote did not get to close it — and finishes closed ballots whose document
 * was not moved on.
 */
export async function sweepBallots(deps: ClosingDeps, now: Date): Promise<{ closed: number; finished: number }> {
  const { logger } = deps;
  let closed = 0;
  let finished = 0;
  const inBallot = (await documentsInState('ballot', ballotDocFields)) as BallotDocument[];
  for (const doc of inBallot) {
    if (!doc.ballotPeriod) continue;
    try {
      const due = doc.ballotPeriod.closesAt.getTime() <= now.getTime();
      // Nobody voted and not due: no record, nothing to do.
      const b = due ? await ensureBallot(doc) : await findBallot(doc);
      if (b?.status === 'open' && (await closeBallot(deps, b, now))) closed++;
    } catch (err) {
      logger?.error({ err, document: String(doc._id) }, 'closing a ballot failed');
    }
  }
  const unfinished = await Ballot.find({ status: 'closed', finishedAt: null }).select(ballotFields).lean<BallotRecord[]>();
  for (const b of unfinished) {
    try {
      if (await finishBallot(deps, b, now)) finished++;
    } catch (err) {
      logger?.error({ err, ballot: String(b._id) }, 'finishing a ballot failed');
    }
  }
  if (closed || finished) logger?.info({ closed, finished }, 'ballots swept');
  return { closed, finished };
}
