import Handlebars from 'handlebars';
import { translate, type Locale } from '../i18n/index.js';
import type { MailMessage } from './mailer.js';

const esc = Handlebars.escapeExpression;

/** A plain message with one call to action: the same words as text and as simple HTML. */
export function linkMessage(opts: {
  locale: Locale;
  to: string;
  kind: 'invitation' | 'reset';
  name: string;
  link: string;
  params?: Record<string, string | number>;
}): MailMessage {
  const p = { name: opts.name, ...opts.params };
  const t = (k: string) => translate(opts.locale, `mail.${opts.kind}.${k}`, p);
  const subject = t('subject');
  const lines = [t('greeting'), '', t('body'), '', opts.link, '', t('expiry'), '', translate(opts.locale, 'mail.signature')];
  const html = `<p>${esc(t('greeting'))}</p><p>${esc(t('body'))}</p><p><a href="${esc(opts.link)}">${esc(t('action'))}</a></p><p>${esc(t('expiry'))}</p><p>${esc(translate(opts.locale, 'mail.signature'))}</p>`;
  return { to: opts.to, subject, text: lines.join('\n'), html };
}
