// The benches move documents through the same lifecycle the server assembles (server/system.ts), around a
// mailer that only logs (nothing is sent from a bench) and a silent logger.
import { pino } from 'pino';
import { createMailer } from '../../server/mail/mailer.js';
import { assembleSystem, type System } from '../../server/system.js';
import { systemClock } from '../../server/time/clock.js';

let system: System | undefined;

function benchSystem(): System {
  const logger = pino({ level: 'silent' });
  return (system ??= assembleSystem({ mailer: createMailer({ from: 'bench@accord.test', logger }), publicUrl: 'http://accord.bench', secret: 'bench-secret-that-is-long-enough-0123456789', logger, clock: systemClock }));
}

/** Moves a document as the transition forms do. */
export const transition: System['lifecycle']['move'] = (actor, id, name, opts) => benchSystem().lifecycle.move(actor, id, name, opts);
