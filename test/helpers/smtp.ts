import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface CapturedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The text/calendar part, if the message carries one. */
  calendar?: string;
}

/** A real SMTP server on loopback that keeps every message it receives, parsed. */
export class SmtpCapture {
  readonly messages: CapturedMail[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Accord's mailers keep pooled connections open: at the end of the run they are cut after a moment
    // instead of the 30 s smtp-server otherwise grants them.
    closeTimeout: 200,
    onData: (stream, _session, callback) => {
      simpleParser(stream).then(
        (m: ParsedMail) => {
          const to = (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => String(v.address).toLowerCase()));
          this.messages.push({ to, subject: m.subject ?? '', text: m.text ?? '', html: typeof m.html === 'string' ? m.html : '', calendar: m.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content.toString('utf8') });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Waits for the newest message to this address that matches, up to a few seconds. */
  async waitFor(to: string, match: (m: CapturedMail) => boolean = () => true, timeoutMs = 5000): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.filter((m) => m.to.includes(to.toLowerCase()) && match(m)).at(-1);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no e-mail to ${to} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  countTo(to: string): number {
    return this.messages.filter((m) => m.to.includes(to.toLowerCase())).length;
  }
}

/** The first link into the application that a message carries. */
export function linkIn(mail: CapturedMail, base: string): string {
  const m = mail.text.match(new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^\\s]+`));
  if (!m) throw new Error(`no link in: ${mail.text}`);
  return m[0];
}
