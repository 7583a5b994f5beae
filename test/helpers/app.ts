import type { Express } from 'express';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { createApp } from '../../server/app.js';
import { createMailer } from '../../server/mail/mailer.js';
import { assembleSystem, type System, type SystemDeps } from '../../server/system.js';
import { systemClock } from '../../server/time/clock.js';
import { testEnv } from './env.js';

export const publicUrl = 'http://accord.test';
export const sessionSecret = 'test-secret-that-is-long-enough-0123456789';

const logger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * A system (notices and lifecycle, server/system.ts) assembled the way createApp assembles its own, around
 * the SMTP capture. `testSystem()` is the one the suite's apps and helpers share, so that a test that
 * moves a document through a helper and then drains the notices waits for the same notices.
 */
export function newTestSystem(overrides: Partial<SystemDeps> = {}): System {
  const env = testEnv();
  const log = overrides.logger ?? logger();
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: publicUrl, SMTP_URL: env.smtp.url });
  const mailer = overrides.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger: log });
  return assembleSystem({ mailer, publicUrl, secret: sessionSecret, logger: log, clock: systemClock, ...overrides });
}

let shared: System | undefined;
export function testSystem(): System {
  return (shared ??= newTestSystem());
}

/** The real application, wired to the test database and the SMTP capture, around the shared test system. */
export function testApp(overrides: Record<string, string> = {}, system: System = testSystem()): Express {
  const env = testEnv();
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: publicUrl, SMTP_URL: env.smtp.url, ...overrides });
  const log = logger();
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger: log });
  return createApp({ config, logger: log, mailer, sessionSecret, templates: env.templates, system });
}

/** Moves a document through the shared lifecycle (what the transition forms and the jobs do). */
export const transition: System['lifecycle']['move'] = (actor, id, name, opts) => testSystem().lifecycle.move(actor, id, name, opts);

/** Waits until every notice started so far has been sent or has failed. */
export const drainNotices = (): Promise<void> => testSystem().notices.drain();
