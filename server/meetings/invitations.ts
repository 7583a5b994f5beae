// The agenda by e-mail with an iCalendar invitation (server/meetings/ics.ts), to each participant in their
// language; a cancellation sends METHOD:CANCEL with the same UID and a higher SEQUENCE (docs/meetings.md).
import Handlebars from 'handlebars';
import type { Logger } from 'pino';
import { translate, type Locale } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import { formatInstant } from '../time/format.js';
import { findUser } from '../users/service.js';
import { calendarOf } from './ics.js';
import type { MeetingRecord } from './model.js';

export interface InvitationDeps {
  mailer: Mailer;
  publicUrl: string;
  /** The sender's address (MAIL_FROM), the invitation's organizer. */
  from: string;
  logger: Logger;
}

const esc = Handlebars.escapeExpression;

/** The address inside «Accord <noreply@accord.example>», or the text itself. */
export function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim();
}

export function meetingUid(m: Pick<MeetingRecord, '_id'>, publicUrl: string): string {
  let host = 'accord';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    /* the default */
  }
  return `meeting-${m._id}@${host}`;
}

export function invitationCalendar(m: MeetingRecord, deps: Pick<InvitationDeps, 'publicUrl' | 'from'>, method: 'REQUEST' | 'CANCEL', stamp: Date, locale: Locale = 'ru'): string {
  const link = `${deps.publicUrl}/meetings/${m._id}`;
  const agenda = m.agenda.map((i, n) => `${n + 1}. ${i.title}`).join('\n');
  return calendarOf({
    method,
    uid: meetingUid(m, deps.publicUrl),
    sequence: m.sequence,
    stamp,
    start: m.startsAt,
    end: new Date(m.startsAt.getTime() + m.durationMinutes * 60_000),
    summary: m.title,
    description: [translate(locale, 'meetings.agenda'), agenda, '', link, m.link ?? ''].filter((s, i, all) => s || i < all.length - 1).join('\n').trim(),
    location: [m.place, m.link].filter(Boolean).join(' · ') || undefined,
    url: link,
    organizer: { name: translate(locale, 'meetings.organizer'), email: addressOf(deps.from) },
    attendees: m.participants.map((p) => ({ name: p.name, email: p.email })),
  });
}

/** Each participant's language (their account's choice, else Russian). */
async function localesOf(m: MeetingRecord): Promise<Map<string, Locale>> {
  const out = new Map<string, Locale>();
  for (const p of m.participants) out.set(p.email, (await findUser(String(p.user)).catch(() => undefined))?.locale ?? 'ru');
  return out;
}

/** Sends the invitation (or its cancellation) to every participant, in their language; a mail that fails is logged, the others go. */
export async function sendInvitations(m: MeetingRecord, deps: InvitationDeps, kind: 'invited' | 'changed' | 'cancelled', now: Date): Promise<number> {
  const method = kind === 'cancelled' ? 'CANCEL' : 'REQUEST';
  const locales = await localesOf(m);
  const localeOf = (email: string): Locale => locales.get(email) ?? 'ru';
  let sent = 0;
  const link = `${deps.publicUrl}/meetings/${m._id}`;
  for (const p of m.participants) {
    const locale = localeOf(p.email);
    const t = (k: string, params: Record<string, unknown> = {}) => translate(locale, k, { title: m.title, at: formatInstant(m.startsAt, locale), name: p.name, ...params });
    const where = [m.place, m.link].filter(Boolean).join(' · ');
    const items = m.agenda.map((i, n) => `${n + 1}. ${i.title}`);
    const body = [
      t(`meetings.mail.${kind}.body`),
      '',
      `${t('meetings.when')}: ${formatInstant(m.startsAt, locale)}`,
      ...(where ? [`${t('meetings.where')}: ${where}`] : []),
      ...(method === 'CANCEL' && m.cancelNote ? ['', m.cancelNote] : []),
      ...(method === 'REQUEST' ? ['', `${t('meetings.agenda')}:`, ...items] : []),
      '',
      link,
      '',
      translate(locale, 'mail.signature'),
    ];
    const html = `<p>${esc(t(`meetings.mail.${kind}.body`))}</p><p>${esc(t('meetings.when'))}: ${esc(formatInstant(m.startsAt, locale))}${where ? `<br>${esc(t('meetings.where'))}: ${esc(where)}` : ''}</p>${
      method === 'REQUEST' ? `<p>${esc(t('meetings.agenda'))}:</p><ol>${m.agenda.map((i) => `<li>${esc(i.title)}</li>`).join('')}</ol>` : m.cancelNote ? `<p>${esc(m.cancelNote)}</p>` : ''
    }<p><a href="${esc(link)}">${esc(link)}</a></p>`;
    try {
      await deps.mailer.send({ to: p.email, subject: t(`meetings.mail.${kind}.subject`), text: body.join('\n'), html, calendar: { method, content: invitationCalendar(m, deps, method, now, locale) } });
      sent++;
    } catch (err) {
      deps.logger.error({ err, meeting: String(m._id) }, 'meeting invitation not sent');
    }
  }
  return sent;
}
