// Systematic review of published standards (docs/review.md): the review date, the review as a ballot of its
// own kind (heads answer for their delegation within a period, as in server/ballots), its closing by the last
// answer or the sweep, the secretariat's act («акт проверки», GOST 1.2) and the action the outcome leads to.
import type { Logger } from 'pino';
import type { CurrentUser } from '../auth/index.js';
import { activeDelegationCodes, votingDelegation } from '../ballots/service.js';
import { committeeSettings } from '../committee/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound } from '../errors.js';
import type { DocumentRecord } from '../documents/index.js';
import { documentsInState, getDocument, seesDrafts } from '../documents/index.js';
import { translate } from '../i18n/index.js';
import type { Lifecycle } from '../lifecycle/index.js';
import { appendEventOnce, historyEvent } from '../lifecycle/history.js';
import type { PdfAssets } from '../pdf/assets.js';
import { amend, amendmentOf, startAmendment, withdraw } from '../publishing/service.js';
import { addDays, dayOf, type Day } from '../time/days.js';
import { dayParam } from '../time/format.js';
import { storeAct } from './act.js';
import { answers, Review, reviewFields, type Answer, type ReviewRecord } from './model.js';

export { readAct } from './act.js';
export { answers, type Answer, type ReviewRecord } from './model.js';

export const messages = {
  notPublished: 'review.notPublished',
  notDue: 'review.notDue',
  alreadyOpen: 'review.alreadyOpen',
  notOpen: 'review.notOpen',
  closed: 'review.closed',
  notClosed: 'review.notClosed',
  done: 'review.done',
  reasonRequired: 'review.reasonRequired',
  outcomeRequired: 'review.outcomeRequired',
  closesInPast: 'review.closesInPast',
  secretariatOnly: 'review.secretariatOnly',
  busy: 'review.busy',
  noAct: 'review.noAct',
} as const;

/** How many days before its review date a standard is «soon due»: listed for the secretariat, and a review may be opened. */
export const SOON_DAYS = 90;

/** The same day `years` later (29 February falls on 28 February). */
export function addYears(d: Day, years: number): Day {
  const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, dd));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10) as Day;
}

type Published = Pick<DocumentRecord, '_id' | 'state' | 'publication'>;

/**
 * The review date (docs/review.md): the last review's follow-up date, if the standard has been reviewed;
 * otherwise the interval after its entry into force — the later of the countries' dates, since the standard
 * has to have been applied in both before it is reviewed. Undefined for a standard not (or no longer) in force.
 */
export function reviewDateOf(doc: Published, last: Pick<ReviewRecord, 'status' | 'followUp'> | undefined, years: number): Day | undefined {
  if (doc.state !== 'published' || !doc.publication) return undefined;
  if (last?.status === 'done' && last.followUp?.nextReview) return last.followUp.nextReview as Day;
  const dates = Object.values(doc.publication.entryIntoForce ?? {}).map(String).sort();
  const later = (dates.at(-1) ?? dayOf(doc.publication.publishedAt)) as Day;
  return addYears(later, years);
}

export async function reviewsOf(docId: mongoose.Types.ObjectId): Promise<ReviewRecord[]> {
  return Review.find({ document: docId }).select(reviewFields).sort({ number: -1 }).lean<ReviewRecord[]>();
}

/** The latest review of each of these documents (one query over the document index). */
async function latestReviews(ids: mongoose.Types.ObjectId[]): Promise<Map<string, ReviewRecord>> {
  const all = ids.length ? await Review.find({ document: mongoose.trusted({ $in: ids }) }).select(reviewFields).lean<ReviewRecord[]>() : [];
  const latest = new Map<string, ReviewRecord>();
  for (const r of all) if ((latest.get(String(r.document))?.number ?? 0) < r.number) latest.set(String(r.document), r);
  return latest;
}

export interface ReviewOfDocument {
  doc: DocumentRecord;
  dueOn?: Day;
  /** due: the review date has come; soon: within SOON_DAYS of it. */
  due: 'due' | 'soon' | 'later' | undefined;
  /** The review under way (open, or closed awaiting the act), if any. */
  current?: ReviewRecord;
  done: ReviewRecord[];
  activeCodes: string[];
  reviewYears: number;
  ballotDays: number;
}

function dueness(dueOn: Day | undefined, today: Day): ReviewOfDocument['due'] {
  if (!dueOn) return undefined;
  return dueOn <= today ? 'due' : dueOn <= addDays(today, SOON_DAYS) ? 'soon' : 'later';
}

/** A standard's review date and its reviews, for the committee; to anyone else "not found". */
export async function reviewOfDocument(actor: CurrentUser | undefined, docId: string, now: Date): Promise<ReviewOfDocument> {
  const doc = await getDocument(actor, docId);
  if (!seesDrafts(actor)) throw new NotFound('documents.notFound');
  const [all, settings, activeCodes] = await Promise.all([reviewsOf(doc._id), committeeSettings(), activeDelegationCodes()]);
  const lastDone = all.find((r) => r.status === 'done');
  const current = all.find((r) => r.status !== 'done');
  const dueOn = reviewDateOf(doc, lastDone, settings.reviewYears);
  return { doc, dueOn, due: dueness(dueOn, dayOf(now)), current, done: all.filter((r) => r.status === 'done'), activeCodes, reviewYears: settings.reviewYears, ballotDays: settings.ballotDays };
}

/** The review date of a standard, for its page (committee people only; undefined otherwise). */
export async function reviewDateFor(actor: CurrentUser | undefined, doc: DocumentRecord, now: Date): Promise<{ dueOn: Day; due: ReviewOfDocument['due']; open: boolean } | undefined> {
  if (!seesDrafts(actor) || doc.state !== 'published') return undefined;
  const [all, settings] = await Promise.all([reviewsOf(doc._id), committeeSettings()]);
  const dueOn = reviewDateOf(doc, all.find((r) => r.status === 'done'), settings.reviewYears);
  return dueOn && { dueOn, due: dueness(dueOn, dayOf(now)), open: all.some((r) => r.status !== 'done') };
}

/** Published standards whose review is due or soon due, and the reviews under way: what the home page lists. */
export async function reviewsNeedingAttention(now: Date): Promise<{ id: string; titles: DocumentRecord['titles']; designation: string; dueOn: Day; due: 'due' | 'soon'; current?: ReviewRecord }[]> {
  const published = await documentsInState('published', { titles: 1, state: 1, publication: 1 });
  const latest = await latestReviews(published.map((d) => d._id));
  const settings = await committeeSettings();
  const today = dayOf(now);
  const out = [];
  for (const d of published) {
    const last = latest.get(String(d._id));
    const current = last && last.status !== 'done' ? last : undefined;
    const dueOn = reviewDateOf(d, current ? undefined : last, settings.reviewYears);
    if (!dueOn) continue;
    const due = dueness(dueOn, today);
    if (current || due === 'due' || due === 'soon') out.push({ id: String(d._id), titles: d.titles, designation: d.publication?.designation ?? '', dueOn: current ? (current.dueOn as Day) : dueOn, due: due === 'later' ? 'soon' as const : due!, current });
  }
  return out;
}

/** Open reviews without this delegation's answer (a head's home page). */
export async function reviewsAwaiting(delegation: string, now: Date): Promise<{ id: string; designation: string; closesAt: Date }[]> {
  const open = await Review.find({ status: 'open', closesAt: mongoose.trusted({ $gt: now }) }).select({ document: 1, designation: 1, closesAt: 1, answers: 1 }).lean<ReviewRecord[]>();
  return open.filter((r) => !r.answers.some((a) => a.delegation === delegation)).map((r) => ({ id: String(r.document), designation: r.designation, closesAt: r.closesAt }));
}

function requireSecretariat(actor: CurrentUser): void {
  if (actor.role !== 'secretariat') throw new Forbidden(messages.secretariatOnly);
}

const actorOf = (a: CurrentUser) => ({ id: a.id, name: a.name });

async function record(doc: Pick<DocumentRecord, '_id' | 'currentRevision'>, at: Date, actor: CurrentUser | null, action: string, note: string): Promise<void> {
  await appendEventOnce(doc._id, historyEvent({ at, actor: actor && actorOf(actor), action, revision: doc.currentRevision, note }));
}

/**
 * The secretariat opens the review of a published standard that is due or soon due; the delegations answer
 * until `closesAt` (the committee's ballot days by default, as a ballot).
 */
export async function openReview(actor: CurrentUser, docId: string, closesAt: Date, now: Date): Promise<ReviewRecord> {
  requireSecretariat(actor);
  const r = await reviewOfDocument(actor, docId, now);
  if (r.doc.state !== 'published' || !r.doc.publication || !r.dueOn) throw new InvalidTransition(messages.notPublished, { state: r.doc.state });
  if (r.current) throw new Conflict(messages.alreadyOpen);
  if (r.due === 'later') throw new InvalidTransition(messages.notDue, { date: dayParam(addDays(r.dueOn, -SOON_DAYS)) });
  if (closesAt.getTime() <= now.getTime()) throw new InvalidInput(messages.closesInPast, {}, { closesDate: messages.closesInPast });
  const number = r.done.length + 1;
  try {
    await Review.create({ document: r.doc._id, number, designation: r.doc.publication.designation, dueOn: r.dueOn, openedAt: now, closesAt, openedBy: new mongoose.Types.ObjectId(actor.id), openedByName: actor.name, status: 'open' });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new Conflict(messages.alreadyOpen);
    throw err;
  }
  await record(r.doc, now, actor, 'reviewOpen', translate('ru', 'review.note.opened', { number }));
  return (await Review.findOne({ document: r.doc._id, number }).select(reviewFields).lean<ReviewRecord>())!;
}

export interface AnswerInput {
  answer: Answer;
  reason: string;
}

/**
 * A head answers for the delegation (the ballot's rule for who votes, server/ballots): one conditional update
 * of the review as read (open, same seq, before the closing time); a changed answer replaces the earlier one.
 * The answer that completes the review closes it.
 */
export async function answerReview(actor: CurrentUser, docId: string, input: AnswerInput, now: Date, logger?: Logger): Promise<{ closed: boolean }> {
  const delegation = await votingDelegation(actor);
  const doc = await getDocument(actor, docId);
  const reason = input.reason.trim();
  if (!reason) throw new InvalidInput(messages.reasonRequired, {}, { reason: messages.reasonRequired });
  for (let attempt = 0; attempt < 20; attempt++) {
    const r = await Review.findOne({ document: doc._id, status: 'open' }).select(reviewFields).lean<ReviewRecord>();
    if (!r) throw new InvalidTransition(messages.notOpen);
    if (r.closesAt.getTime() <= now.getTime()) throw new Conflict(messages.closed, { closedAt: r.closesAt });
    const answer = { delegation, answer: input.answer, reason, by: new mongoose.Types.ObjectId(actor.id), byName: actor.name, at: now };
    const updated = await Review.findOneAndUpdate(
      { _id: r._id, status: 'open', seq: r.seq, closesAt: mongoose.trusted({ $gt: now }) },
      { $set: { answers: [...r.answers.filter((a) => a.delegation !== delegation), answer] }, $inc: { seq: 1 } },
      { returnDocument: 'after', projection: reviewFields },
    ).lean<ReviewRecord>();
    if (!updated) continue;
    await record(doc, now, actor, 'reviewAnswer', `${delegation}: ${translate('ru', `review.answer.${input.answer}`)}`);
    const codes = await activeDelegationCodes();
    let closed = false;
    if (codes.length && codes.every((c) => updated.answers.some((a) => a.delegation === c))) {
      try {
        closed = await closeReview(updated, now);
      } catch (err) {
        logger?.error({ err, document: docId }, 'closing a review after the last answer failed');
      }
    }
    return { closed };
  }
  throw new Conflict(messages.busy);
}

/**
 * The rule (docs/review.md): every entitled delegation answered and all gave the same answer → that outcome;
 * anything else (different answers, or a delegation silent when the period ended) → «разногласие», which the
 * secretariat decides when it draws up the act. With two delegations this is the committee's ballot rule under
 * either setting (unanimity, or ISO's two thirds of two).
 */
export function agreedAnswer(given: readonly Pick<ReviewRecord['answers'][number], 'delegation' | 'answer'>[], delegations: readonly string[]): Answer | null {
  const mine = delegations.map((d) => given.find((a) => a.delegation === d)?.answer);
  if (!mine.length || mine.some((a) => !a)) return null;
  return mine.every((a) => a === mine[0]) ? mine[0]! : null;
}

/** Closes the review if it is due or every active delegation answered; false when not, or someone else closed it. */
export async function closeReview(r: Pick<ReviewRecord, '_id' | 'closesAt'>, now: Date): Promise<boolean> {
  const codes = await activeDelegationCodes();
  const due = r.closesAt.getTime() <= now.getTime();
  if (!due && codes.length === 0) return false;
  const filter: Record<string, unknown> = due
    ? { _id: r._id, status: 'open', closesAt: mongoose.trusted({ $lte: now }) }
    : { _id: r._id, status: 'open', 'answers.delegation': mongoose.trusted({ $all: codes }) };
  const closed = await Review.findOneAndUpdate(filter, { $set: { status: 'closed', closedAt: now, closedBecause: due ? 'deadline' : 'allAnswered', delegations: codes }, $inc: { seq: 1 } }, { returnDocument: 'after', projection: reviewFields }).lean<ReviewRecord>();
  if (!closed) return false;
  const agreed = agreedAnswer(closed.answers, codes);
  await Review.updateOne({ _id: closed._id, status: 'closed' }, { $set: { agreed } });
  const doc = await getDocument({ role: 'secretariat' } as CurrentUser, String(closed.document));
  await record(doc, now, null, 'reviewClose', agreed ? translate('ru', 'review.note.agreed', { answer: translate('ru', `review.answer.${agreed}`) }) : translate('ru', 'review.note.disagreement'));
  return true;
}

/** The scheduled job: closes the reviews whose period has ended (the ballot's sweep does the same for ballots). */
export async function sweepReviews(now: Date, logger?: Logger): Promise<{ closed: number }> {
  let closed = 0;
  const due = await Review.find({ status: 'open', closesAt: mongoose.trusted({ $lte: now }) }).select({ closesAt: 1 }).lean<Pick<ReviewRecord, '_id' | 'closesAt'>[]>();
  for (const r of due) {
    try {
      if (await closeReview(r, now)) closed++;
    } catch (err) {
      logger?.error({ err, review: String(r._id) }, 'closing a review failed');
    }
  }
  if (closed) logger?.info({ closed }, 'reviews swept');
  return { closed };
}

export interface ActInput {
  /** Required when the delegations disagreed; ignored (the agreed answer stands) otherwise. */
  outcome?: Answer;
  /** Required with a decision of the secretariat. */
  reason?: string;
}

export interface ActDeps {
  lifecycle: Lifecycle;
  assets: PdfAssets;
}

/**
 * The amend outcome: the draft of an amendment of the standard (docs/amendments.md, docs/review.md «Outcomes»).
 * The draft's id is written on the review before the draft is made, so an act drawn up again after a crash
 * finds the same draft; an amendment of the standard already under way (started from its page) is the one the
 * act names.
 */
export async function startAmendmentFromReview(actor: CurrentUser, doc: DocumentRecord, review: ReviewRecord, now: Date): Promise<NonNullable<ReviewRecord['followUp']>> {
  let id = review.followUp?.amendment ?? undefined;
  if (!id) {
    id = new mongoose.Types.ObjectId();
    await Review.updateOne({ _id: review._id, status: 'closed' }, { $set: { followUp: { ...(review.followUp ?? {}), amendment: id } } });
  }
  try {
    await startAmendment(actor, String(doc._id), { now, id });
  } catch (err) {
    if (!(err instanceof Conflict) || err.messageKey !== 'amendments.underWay' || !err.params.id) throw err;
    id = new mongoose.Types.ObjectId(String(err.params.id));
  }
  return { amendment: id };
}

/**
 * The secretariat draws up the act of a closed review: the outcome (the agreed answer, or its own decision of a
 * disagreement, with a reason), then the action it leads to (each resumable: a second attempt after a crash finds
 * the action taken), then the PDF, stored in GridFS. Every outcome gives the next review date, the interval from
 * the act's day; a withdrawn standard has none (it is no longer in force).
 */
export async function recordAct(actor: CurrentUser, docId: string, input: ActInput, now: Date, deps: ActDeps): Promise<ReviewRecord> {
  requireSecretariat(actor);
  const r = await reviewOfDocument(actor, docId, now);
  const review = r.current;
  if (!review) throw new InvalidTransition(r.done.length ? messages.done : messages.notOpen);
  if (review.status === 'open') throw new InvalidTransition(messages.notClosed);
  const reason = input.reason?.trim() || null;
  let outcome = review.outcome ?? review.agreed ?? null;
  if (!review.outcome) {
    if (!review.agreed) {
      if (!input.outcome) throw new InvalidInput(messages.outcomeRequired, {}, { outcome: messages.outcomeRequired });
      if (!reason) throw new InvalidInput(messages.reasonRequired, {}, { reason: messages.reasonRequired });
      outcome = input.outcome;
    }
    const set = { outcome, decisionReason: review.agreed ? null : reason, decidedBy: new mongoose.Types.ObjectId(actor.id), decidedByName: actor.name, decidedAt: now };
    const taken = await Review.updateOne({ _id: review._id, status: 'closed', outcome: null }, { $set: set });
    if (!taken.modifiedCount) throw new Conflict(messages.busy);
    Object.assign(review, set);
  }
  const doc = r.doc;
  const actDay = dayOf(review.decidedAt ?? now);
  const note = translate('ru', 'review.note.act', { number: review.number, outcome: translate('ru', `review.outcome.${outcome}`) });
  let followUp: NonNullable<ReviewRecord['followUp']> = { nextReview: addYears(actDay, r.reviewYears) };
  if (outcome === 'revise') {
    // The draft that will supersede the standard: the publishing feature's successor draft (startSuccessor).
    let successor = await amendmentOf(actor, doc);
    if (!successor) successor = String((await amend(actor, docId, now, deps.lifecycle))._id);
    followUp = { ...followUp, successor: new mongoose.Types.ObjectId(successor) };
  } else if (outcome === 'withdraw') {
    const current = await getDocument(actor, docId);
    if (current.state === 'published') await withdraw(actor, docId, { reason: note + (review.decisionReason ? `. ${review.decisionReason}` : ''), date: actDay }, now, deps.lifecycle);
    followUp = { nextReview: null, withdrawnOn: actDay };
  } else if (outcome === 'amend') {
    followUp = { ...followUp, ...(await startAmendmentFromReview(actor, doc, review, now)) };
  }
  const done = { ...review, followUp, status: 'done' as const };
  const act = await storeAct(done, doc, now, deps.assets);
  const updated = await Review.findOneAndUpdate({ _id: review._id, status: 'closed' }, { $set: { followUp, act, status: 'done' } }, { returnDocument: 'after', projection: reviewFields }).lean<ReviewRecord>();
  if (!updated) throw new Conflict(messages.busy);
  await record(doc, now, actor, 'reviewAct', note);
  return updated;
}

/** The act of a review, for committee people. */
export async function actOf(actor: CurrentUser | undefined, docId: string, number: number): Promise<ReviewRecord> {
  const doc = await getDocument(actor, docId);
  if (!seesDrafts(actor)) throw new NotFound('documents.notFound');
  const r = Number.isInteger(number) ? await Review.findOne({ document: doc._id, number }).select(reviewFields).lean<ReviewRecord>() : null;
  if (!r?.act) throw new NotFound(messages.noAct);
  return r;
}

export const isAnswer = (v: unknown): v is Answer => (answers as readonly unknown[]).includes(v);
