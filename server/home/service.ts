// "What needs me": the first thing a signed-in person sees — what waits for them, with how long is left
// (docs/architecture.md: a feature that reads others through their services only).
import type { CurrentUser } from '../auth/index.js';
import { ballotOfDocument } from '../ballots/service.js';
import { commentCountsOf, unansweredCountsOf } from '../comments/index.js';
import { documentsInState } from '../documents/index.js';
import { translate, type Locale } from '../i18n/index.js';
import { formatInstant } from '../time/format.js';
import { timeLeft } from '../time/time-left.js';
import { countInvited } from '../users/service.js';
import { lateDocuments, lateStagesText } from '../programme/index.js';
import { reviewsAwaiting, reviewsNeedingAttention } from '../review/index.js';
import { formatDay } from '../time/format.js';

export interface Need {
  /** what to do, in a sentence */
  text: string;
  href: string;
  /** the deadline and the time left, when there is one */
  until?: string;
  left?: string;
  urgent?: boolean;
  /** Behind the work programme: the home page marks it in words, not by colour alone. */
  late?: boolean;
  closesAt?: Date;
}

const DAY = 86_400_000;

function deadline(at: Date, now: Date, locale: Locale): Pick<Need, 'until' | 'left' | 'urgent' | 'closesAt'> {
  return { until: formatInstant(at, locale), left: timeLeft(at, now, locale), urgent: at.getTime() - now.getTime() < 3 * DAY, closesAt: at };
}

const titleOf = (d: { titles: { ru: string; en: string } }, locale: Locale) => d.titles[locale] || d.titles.ru;

async function openPeriods(now: Date) {
  return (await documentsInState('comment', { titles: 1, round: 1, commentPeriod: 1 })).filter((d) => d.commentPeriod && d.commentPeriod.closesAt.getTime() > now.getTime());
}

async function forDelegate(actor: CurrentUser, now: Date, locale: Locale): Promise<Need[]> {
  const periods = await openPeriods(now);
  const needs: Need[] = [];
  if (actor.role === 'head') {
    const waiting = await commentCountsOf(periods, { delegation: actor.delegationCode!, status: 'internal' });
    for (const d of periods) {
      const n = waiting.get(String(d._id));
      if (n) needs.push({ text: translate(locale, 'home.need.release', { count: n, title: titleOf(d, locale) }), href: `/documents/${d._id}/comments`, ...deadline(d.commentPeriod!.closesAt, now, locale) });
    }
    // The dispositions of a closed round, while the delegation's answers to them are missing (docs/answers.md).
    const resolution = await documentsInState('resolution', { titles: 1, round: 1 });
    const unanswered = await unansweredCountsOf(resolution, actor.delegationCode!);
    for (const d of resolution) {
      const n = unanswered.get(String(d._id));
      if (n) needs.push({ text: translate(locale, 'home.need.answer', { count: n, title: titleOf(d, locale) }), href: `/documents/${d._id}/answers` });
    }
    for (const d of await documentsInState('ballot', { titles: 1, ballotPeriod: 1 })) {
      if (!d.ballotPeriod || d.ballotPeriod.closesAt.getTime() <= now.getTime()) continue;
      const ballot = await ballotOfDocument(actor, String(d._id));
      if (ballot.current.positions.some((p) => p.delegation === actor.delegationCode)) continue;
      needs.push({ text: translate(locale, 'home.need.vote', { title: titleOf(d, locale) }), href: `/documents/${d._id}/ballot`, ...deadline(d.ballotPeriod.closesAt, now, locale) });
    }
    // Systematic reviews without the delegation's answer (docs/review.md).
    for (const r of await reviewsAwaiting(actor.delegationCode!, now)) {
      needs.push({ text: translate(locale, 'home.need.reviewAnswer', { designation: r.designation }), href: `/documents/${r.id}/review`, ...deadline(r.closesAt, now, locale) });
    }
  }
  for (const d of periods) {
    needs.push({ text: translate(locale, 'home.need.comment', { title: titleOf(d, locale) }), href: `/documents/${d._id}/comments`, ...deadline(d.commentPeriod!.closesAt, now, locale) });
  }
  return needs;
}

async function forSecretariat(now: Date, locale: Locale): Promise<Need[]> {
  const needs: Need[] = [];
  const resolution = await documentsInState('resolution', { titles: 1, round: 1 });
  const periods = await openPeriods(now);
  const undisposed = await commentCountsOf([...resolution, ...periods], { undisposed: true });
  for (const d of resolution) {
    const n = undisposed.get(String(d._id));
    if (n) needs.push({ text: translate(locale, 'home.need.dispose', { count: n, title: titleOf(d, locale) }), href: `/documents/${d._id}/comments?disposition=none` });
  }
  for (const d of periods) {
    const n = undisposed.get(String(d._id)) ?? 0;
    needs.push({ text: translate(locale, n ? 'home.need.periodClosesUndisposed' : 'home.need.periodCloses', { title: titleOf(d, locale), count: n }), href: `/documents/${d._id}/comments`, ...deadline(d.commentPeriod!.closesAt, now, locale) });
  }
  for (const d of await documentsInState('ballot', { titles: 1, ballotPeriod: 1 })) {
    if (d.ballotPeriod) needs.push({ text: translate(locale, 'home.need.ballotCloses', { title: titleOf(d, locale) }), href: `/documents/${d._id}/ballot`, ...deadline(d.ballotPeriod.closesAt, now, locale) });
  }
  for (const d of await documentsInState('approved', { titles: 1 })) {
    needs.push({ text: translate(locale, 'home.need.publish', { title: titleOf(d, locale) }), href: `/documents/${d._id}/publish` });
  }
  // Standards whose systematic review is due or soon due, and the reviews under way (docs/review.md).
  for (const r of await reviewsNeedingAttention(now)) {
    const href = `/documents/${r.id}/review`;
    const date = formatDay(r.dueOn, locale);
    if (r.current?.status === 'open') needs.push({ text: translate(locale, 'home.need.reviewCloses', { designation: r.designation }), href, ...deadline(r.current.closesAt, now, locale) });
    else if (r.current) needs.push({ text: translate(locale, 'home.need.reviewAct', { designation: r.designation, disagreement: r.current.agreed ? '' : translate(locale, 'home.need.reviewDisagreement') }), href });
    else needs.push({ text: translate(locale, r.due === 'due' ? 'home.need.reviewDue' : 'home.need.reviewSoon', { designation: r.designation, date }), href, urgent: r.due === 'due' });
  }
  // Documents behind the work programme (docs/programme.md): flagged, and first among what has no deadline of its own.
  for (const d of await lateDocuments(now, locale)) {
    needs.push({ text: translate(locale, 'home.need.late', { title: d.title, stages: lateStagesText(d, locale) }), href: `/documents/${d.id}#plan`, late: true });
  }
  return needs;
}

async function forAdministrator(locale: Locale): Promise<Need[]> {
  const invited = await countInvited();
  return invited ? [{ text: translate(locale, 'home.need.invitations', { count: invited }), href: '/admin/users?status=invited' }] : [];
}

/** What waits for this person, the closest deadline first; things without a deadline after them. */
export async function whatNeedsMe(actor: CurrentUser, now: Date, locale: Locale): Promise<Need[]> {
  const needs =
    actor.role === 'secretariat' ? await forSecretariat(now, locale)
    : actor.role === 'administrator' ? await forAdministrator(locale)
    : (actor.role === 'head' || actor.role === 'member') && actor.delegationCode ? await forDelegate(actor, now, locale)
    : [];
  const at = (n: Need) => n.closesAt?.getTime() ?? (n.late ? Number.MAX_VALUE : Infinity);
  return needs.sort((a, b) => at(a) - at(b));
}
