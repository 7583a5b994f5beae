// The weekly e-mail of late documents to the secretariat (docs/programme.md): from Monday at the digest's time
// (DIGEST_TIME, 08:00 committee time), once a week, to each secretariat member who has not turned it off.
// Each person's mail of a week is one notice key and the week itself another, so two schedulers send it once.
import type { Logger } from 'pino';
import { oncePerPeriod, type Notices } from '../notices/index.js';
import { addDays, atCommitteeTime, dayOf, type Day } from '../time/days.js';
import { noticeRecipients } from '../users/service.js';
import { lateDocuments, lateStagesText } from './service.js';

/** The Monday (committee day) of the week an instant falls in. */
export function weekOf(now: Date): Day {
  const day = dayOf(now);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 is Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Sends the week's reports if it is past Monday `at` (HH:MM committee time) and they have not gone out; returns how many were sent. */
export async function sendLateReports(deps: { notices: Notices; logger?: Logger; at?: string }, now: Date): Promise<number> {
  const week = weekOf(now);
  if (now.getTime() < atCommitteeTime(week, deps.at ?? '08:00')!.getTime()) return 0;
  const sent = await oncePerPeriod(deps.notices, { key: `lateReport:${week}`, kind: 'lateReport', link: '/plan' }, async () => {
    let n = 0;
    const byLocale = new Map<string, Awaited<ReturnType<typeof lateDocuments>>>();
    for (const p of await noticeRecipients({ roles: ['secretariat'] }, 'lateReport')) {
      const locale = p.locale ?? 'ru';
      if (!byLocale.has(locale)) byLocale.set(locale, await lateDocuments(now, locale));
      const late = byLocale.get(locale)!;
      if (!late.length) continue;
      const items = late.map((d) => `• «${d.title}»: ${lateStagesText(d, locale)}`).join('\n');
      n += await deps.notices.send({ key: `lateReport:${week}:${p._id}`, kind: 'lateReport', to: [p], params: { items, count: late.length, week: { day: week } }, link: '/plan' });
    }
    return n;
  });
  if (sent === undefined) return 0;
  deps.logger?.info({ week, sent }, 'weekly late-document reports sent');
  return sent;
}
