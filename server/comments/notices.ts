import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import Handlebars from 'handlebars';
import { mongoose } from '../db/mongoose.js';
import { translate, type Locale } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import { User } from '../users/model.js';
import { NoticeLog } from './model.js';
import { derived } from '../documents/derived-cache.js';
import type { MessageParams } from '../errors.js';
import type { Clock } from '../time/clock.js';

import { noticeKinds } from '../users/model.js';

export { noticeKinds };
export type NoticeKind = (typeof noticeKinds)[number];

export interface NoticeDeps {
  mailer: Mailer;
  publicUrl: string;
  /** Signs unsubscribe links, so that a link works without signing in but cannot be forged. */
  secret: string;
  logger: Logger;
  clock: Clock;
}

let configured: NoticeDeps | undefined;
/** Set once at start-up by the application. */
export function configureNotices(deps: NoticeDeps): void {
  configured = deps;
}

export function unsubscribeSignature(secret: string, userId: string, kind: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}:${kind}`).digest('base64url');
}

export function checkUnsubscribeSignature(secret: string, userId: string, kind: string, signature: string): boolean {
  const want = Buffer.from(unsubscribeSignature(secret, userId, kind));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

interface Recipient {
  _id: mongoose.Types.ObjectId;
  email: string;
  name: string;
  locale?: Locale;
  unsubscribed?: string[];
}

/** Active people who want this kind of notice: by role, and for delegation roles by delegation code. */
export async function recipients(filter: { roles: string[]; delegationIds?: mongoose.Types.ObjectId[] }, kind: NoticeKind): Promise<Recipient[]> {
  const q: Record<string, unknown> = { active: true, role: mongoose.trusted({ $in: filter.roles }), passwordHash: mongoose.trusted({ $ne: null }), unsubscribed: mongoose.trusted({ $ne: kind }) };
  if (filter.delegationIds) q.delegation = mongoose.trusted({ $in: filter.delegationIds });
  return User.find(q).select({ email: 1, name: 1, locale: 1, unsubscribed: 1 }).lean<Recipient[]>();
}

/** Whether a notice has been handled already (a marker under its own key, beside the per-person keys). */
export async function noticeGiven(key: string): Promise<boolean> {
  // Once given, a notice stays given: remember the yes and ask the database only until then.
  const known = derived(`notice:${key}`, () => ({ given: false }));
  if (!known.given) known.given = (await NoticeLog.exists({ key })) !== null;
  return known.given;
}

/**
 * Sends one notice to each recipient, once: the key is recorded first (unique), so a second instance or
 * a retried job finds it taken and sends nothing.
 */
export async function sendNotice(opts: { key: string; kind: NoticeKind; to: Recipient[]; params: MessageParams; link: string }): Promise<number> {
  const deps = configured;
  if (!deps) return 0;
  let sent = 0;
  await NoticeLog.create({ key: opts.key, at: deps.clock.now() }).catch((err: { code?: number }) => {
    if (err?.code !== 11000) throw err;
  });
  for (const r of opts.to) {
    try {
      await NoticeLog.create({ key: `${opts.key}:${r._id}`, at: deps.clock.now() });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) continue;
      throw err;
    }
    const locale: Locale = r.locale ?? 'ru';
    const t = (k: string) => translate(locale, `notices.${opts.kind}.${k}`, { ...opts.params, name: r.name });
    const unsubscribe = `${deps.publicUrl}/notifications/unsubscribe?u=${r._id}&k=${opts.kind}&s=${unsubscribeSignature(deps.secret, String(r._id), opts.kind)}`;
    const footer = translate(locale, 'notices.footer', { kind: translate(locale, `notices.kind.${opts.kind}`) });
    const link = `${deps.publicUrl}${opts.link}`;
    const esc = Handlebars.escapeExpression;
    try {
      await deps.mailer.send({
        to: r.email,
        subject: t('subject'),
        text: [t('body'), '', link, '', '—', footer, unsubscribe].join('\n'),
        html: `<p>${esc(t('body'))}</p><p><a href="${esc(link)}">${esc(link)}</a></p><hr><p><small>${esc(footer)} <a href="${esc(unsubscribe)}">${esc(translate(locale, 'notices.unsubscribe'))}</a></small></p>`,
      });
      sent++;
    } catch (err) {
      deps.logger.error({ err, kind: opts.kind }, 'notice not sent');
    }
  }
  return sent;
}

/** Notices running in the background, until each has been sent or has failed. */
const running = new Set<Promise<void>>();

/** Runs a notice in the background: a slow mail server must not slow the page that caused it. */
export function inBackground(work: Promise<unknown>): void {
  const tracked: Promise<void> = work.then(
    () => undefined,
    (err) => configured?.logger.error({ err }, 'notice failed'),
  ).finally(() => running.delete(tracked));
  running.add(tracked);
}

/**
 * Resolves once every notice started in the background so far has been sent or has failed, including
 * notices those started meanwhile. Never rejects. For a clean stop and for tests that check what was
 * (or was not) sent.
 */
export async function drainNotices(): Promise<void> {
  while (running.size) await Promise.all([...running]);
}
