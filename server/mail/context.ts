import type { Locale } from '../i18n/index.js';
import type { Mailer } from './mailer.js';

/** What a service needs to send a person a message: the mailer, the site's address, the language, the request's instant. */
export interface MailContext {
  mailer: Mailer;
  publicUrl: string;
  locale: Locale;
  /** The instant of the request: the link's lifetime counts from it. */
  now: Date;
}
