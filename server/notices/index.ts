// E-mail notices (period opened, reminders, released positions, catalogue news): made once by
// server/system.ts around the mailer and handed to every feature that sends one. Each notice is keyed:
// the key is recorded before anything is sent (server/notices/model.ts), so a second instance or a
// retried job sends nothing twice. Notices run in the background, so a slow mail server never slows the
// page that caused them; `drain()` waits for them (a clean stop, and tests that check what was sent).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import Handlebars from 'handlebars';
import type { mongoose } from '../db/mongoose.js';
import { derived } from '../common/derived-cache.js';
import type { MessageParams } from '../errors.js';
import { translate, type Locale } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import type { Clock } from '../time/clock.js';
import type { NoticeKind } from './kinds.js';
import { NoticeLog } from './model.js';

export { noticeKinds, type NoticeKind } from './kinds.js';

export interface NoticeDeps {
  mailer: Mailer;
  publicUrl: string;
  /** Signs unsubscribe links, so that a link works without signing in but cannot be forged. */
  secret: string;
  logger: Logger;
  clock: Clock;
}

export interface Recipient {
  _id: mongoose.Types.ObjectId;
  email: string;
  name: string;
  locale?: Locale;
  /** The person's role: a manufacturer is told why a mail came in other words than the committee's people. */
  role?: string;
}

export interface NoticeRequest {
  key: string;
  kind: NoticeKind;
  to: Recipient[];
  params: MessageParams;
  /** Path of the page the notice is about; the mail carries the full address. */
  link: string;
}

export interface Notices {
  /** Sends one notice to each recipient, once per key and person; resolves to how many mails went out. */
  send(notice: NoticeRequest): Promise<number>;
  /** Whether a notice of this key has been handled already. */
  given(key: string): Promise<boolean>;
  /** Runs notice work in the background; its failure is logged. */
  inBackground(work: Promise<unknown>): void;
  /** Resolves once every notice started so far (and any they start) has been sent or has failed. Never rejects. */
  drain(): Promise<void>;
}

/**
 * A round of mails sent once per period (a day's digests, a week's late-document reports) under any number
 * of schedulers: each person's mail has its own key inside `run`, and the period's own key (`period.key`,
 * written when the round is done) makes later runs, on any instance, stop at the first read. Resolves to how
 * many mails went out, or undefined when the period's round was already done.
 */
export async function oncePerPeriod(notices: Notices, period: { key: string; kind: NoticeKind; link: string }, run: () => Promise<number>): Promise<number | undefined> {
  if (await notices.given(period.key)) return undefined;
  const sent = await run();
  await notices.send({ key: period.key, kind: period.kind, to: [], params: {}, link: period.link });
  return sent;
}

export function unsubscribeSignature(secret: string, userId: string, kind: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}:${kind}`).digest('base64url');
}

export function checkUnsubscribeSignature(secret: string, userId: string, kind: string, signature: string): boolean {
  const want = Buffer.from(unsubscribeSignature(secret, userId, kind));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Records a key; false when it was recorded before (by anyone). */
async function claim(key: string, at: Date): Promise<boolean> {
  try {
    await NoticeLog.create({ key, at });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

export function createNotices(deps: NoticeDeps): Notices {
  const running = new Set<Promise<void>>();
  const esc = Handlebars.escapeExpression;

  function mailTo(r: Recipient, n: NoticeRequest) {
    const locale: Locale = r.locale ?? 'ru';
    const t = (k: string) => translate(locale, `notices.${n.kind}.${k}`, { ...n.params, name: r.name });
    const unsubscribe = `${deps.publicUrl}/notifications/unsubscribe?u=${r._id}&k=${n.kind}&s=${unsubscribeSignature(deps.secret, String(r._id), n.kind)}`;
    // Why the mail came, in the words of the person's role: a manufacturer follows the catalogue, the
    // committee's people work in it (without a role, the kind of notice tells which).
    const subscriber = r.role ? r.role === 'manufacturer' : n.kind === 'catalogue';
    const footer = translate(locale, subscriber ? 'notices.footerSubscriber' : 'notices.footer', { kind: translate(locale, `notices.kind.${n.kind}`) });
    const link = `${deps.publicUrl}${n.link}`;
    return {
      to: r.email,
      subject: t('subject'),
      text: [t('body'), '', link, '', '—', footer, unsubscribe].join('\n'),
      html: `<p>${esc(t('body')).replace(/\n/g, '<br>')}</p><p><a href="${esc(link)}">${esc(link)}</a></p><hr><p><small>${esc(footer)} <a href="${esc(unsubscribe)}">${esc(translate(locale, 'notices.unsubscribe'))}</a></small></p>`,
    };
  }

  return {
    async send(n) {
      await claim(n.key, deps.clock.now());
      let sent = 0;
      for (const r of n.to) {
        if (!(await claim(`${n.key}:${r._id}`, deps.clock.now()))) continue;
        try {
          await deps.mailer.send(mailTo(r, n));
          sent++;
        } catch (err) {
          deps.logger.error({ err, kind: n.kind }, 'notice not sent');
        }
      }
      return sent;
    },

    async given(key) {
      // Once given, a notice stays given: remember the yes and ask the database only until then.
      const known = derived(`notice:${key}`, () => ({ given: false }));
      if (!known.given) known.given = (await NoticeLog.exists({ key })) !== null;
      return known.given;
    },

    inBackground(work) {
      const tracked: Promise<void> = work
        .then(
          () => undefined,
          (err) => deps.logger.error({ err }, 'notice failed'),
        )
        .finally(() => running.delete(tracked));
      running.add(tracked);
    },

    async drain() {
      while (running.size) await Promise.all([...running]);
    },
  };
}
