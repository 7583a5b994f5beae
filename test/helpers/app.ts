import type { Express } from 'express';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { createApp } from '../../server/app.js';
import { createMailer } from '../../server/mail/mailer.js';
import { testEnv } from './env.js';

export const publicUrl = 'http://accord.test';

/** The real application, wired to the test database and the SMTP capture. */
export function testApp(overrides: Record<string, string> = {}): Express {
  const env = testEnv();
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: publicUrl, SMTP_URL: env.smtp.url, ...overrides });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  return createApp({ config, logger, mailer, sessionSecret: 'test-secret-that-is-long-enough-0123456789', templates: env.templates });
}
