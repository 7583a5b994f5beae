// The daily digest: "what needs me" by e-mail, once a day from DIGEST_TIME (08:00 committee time), to each person who
// has not turned it off. Each person's digest of a day is one notice key, so two schedulers send it once.
import type { Logger } from 'pino';
import { oncePerPeriod, type Notices } from '../notices/index.js';
import { translate } from '../i18n/index.js';
import { dayOf, atCommitteeTime } from '../time/days.js';
import { digestRecipients } from '../users/service.js';
import { whatNeedsMe } from './service.js';

/** Sends the day's digests if it is past `at` (HH:MM committee time, 08:00 unless told) and they have not gone out; returns how many were sent. */
export async function sendDigests(deps: { notices: Notices; logger?: Logger; at?: string }, now: Date): Promise<number> {
  const day = dayOf(now);
  if (now.getTime() < atCommitteeTime(day, deps.at ?? '08:00')!.getTime()) return 0;
  const sent = await oncePerPeriod(deps.notices, { key: `digests:${day}`, kind: 'digest', link: '/' }, async () => {
    let n = 0;
    for (const p of await digestRecipients()) {
      const locale = p.locale ?? 'ru';
      const actor = { id: String(p._id), name: p.name, email: p.email, role: p.role, delegationId: p.delegation ? String(p.delegation) : null, delegationCode: p.delegationCode ?? null, sessionVersion: p.sessionVersion, via: 'session' as const };
      const needs = await whatNeedsMe(actor, now, locale);
      if (!needs.length) continue;
      const items = needs.map((x) => `• ${x.text}${x.until ? ` — ${translate(locale, 'home.until', { until: x.until })}, ${x.left}` : ''}`).join('\n');
      n += await deps.notices.send({ key: `digest:${day}:${p._id}`, kind: 'digest', to: [p], params: { items, count: needs.length }, link: '/' });
    }
    return n;
  });
  if (sent === undefined) return 0;
  deps.logger?.info({ day, sent }, 'daily digests sent');
  return sent;
}
