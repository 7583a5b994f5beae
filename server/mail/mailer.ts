import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** An iCalendar invitation (RFC 5546), sent as a text/calendar alternative with its METHOD. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * SMTP when SMTP_URL is configured; otherwise (development only) each message is written to the log so
 * that links can be followed without a mail server. The SMTP connections are pooled (README, SMTP_URL):
 * a notice to the whole committee is hundreds of mails, and opening a connection for each one costs about
 * 100 ms against a local server before the mail server's own greeting delays and TLS handshakes. Nodemailer's
 * pool keeps at most three connections, sends up to 100 mails on each, and closes one idle for four minutes.
 */
export function createMailer(opts: { smtpUrl?: string; from: string; logger: Logger }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport({ url: opts.smtpUrl, pool: true, maxConnections: 3, maxMessages: 100 });
    return {
      async send(m) {
        await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text, html: m.html, ...(m.calendar ? { icalEvent: { method: m.calendar.method, content: m.calendar.content, filename: 'invite.ics' } } : {}) });
      },
    };
  }
  return {
    async send(m) {
      opts.logger.info({ mail: { to: m.to, subject: m.subject } }, `e-mail (not sent, no SMTP_URL configured):\n${m.text}`);
    },
  };
}
