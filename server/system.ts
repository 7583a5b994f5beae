// Where Accord is assembled (docs/architecture.md, «Assembly»): the notices around the mailer, and the
// lifecycle with every feature's fact providers and listeners. createApp, the scheduler, the command-line
// tools and the tests build theirs here, the same way; nothing is installed in module state, so two
// systems in one process are independent (test/integration/two-apps.test.ts).
import type { Logger } from 'pino';
import { ballotFacts, sweepBallots } from './ballots/service.js';
import { sweepReviews } from './review/index.js';
import { catalogueListener } from './catalogue/index.js';
import { commentFacts, periodNotices, sweepCommentPeriods } from './comments/index.js';
import { revisionFacts } from './documents/facts.js';
import { createLifecycle, type Lifecycle, type Listener } from './lifecycle/index.js';
import type { Mailer } from './mail/mailer.js';
import { createNotices, type Notices } from './notices/index.js';
import type { Clock } from './time/clock.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { sendDigests } from './home/digest.js';
import { sendLateReports } from './programme/index.js';

export interface SystemDeps {
  mailer: Mailer;
  /** The address links in mails start with. */
  publicUrl: string;
  /** Signs unsubscribe links. */
  secret: string;
  logger: Logger;
  clock: Clock;
  /** When the scheduled work sends the daily digest (HH:MM committee time); without it, never (tests, tools). */
  digestTime?: string | null;
  /** Listeners besides the features' own (a test adds one that fails). */
  extraListeners?: readonly Listener[];
}

export interface System {
  clock: Clock;
  logger: Logger;
  notices: Notices;
  lifecycle: Lifecycle;
  /** What /metrics reports (server/http/metrics.ts). */
  metrics: Metrics;
  /** The scheduled work of one minute: deadlines, reminders, ballots, reactions that failed. */
  sweep(now: Date): Promise<void>;
}

export function assembleSystem(deps: SystemDeps): System {
  const { logger, clock } = deps;
  const metrics = createMetrics();
  const notices = createNotices({ mailer: countedMailer(deps.mailer, metrics), publicUrl: deps.publicUrl, secret: deps.secret, logger, clock });
  const lifecycle = createLifecycle({
    facts: { revision: revisionFacts, comments: commentFacts, ballot: ballotFacts },
    listeners: [periodNotices(notices), catalogueListener(notices), ...(deps.extraListeners ?? [])],
    logger,
  });
  return {
    clock,
    logger,
    notices,
    lifecycle,
    metrics,
    async sweep(now) {
      const periods = await sweepCommentPeriods({ lifecycle, notices, logger }, now);
      if (periods.closed || periods.reminders) logger.info(periods, 'comment periods swept');
      await sweepBallots({ lifecycle, logger }, now);
      await sweepReviews(now, logger);
      if (deps.digestTime) await sendDigests({ notices, logger, at: deps.digestTime }, now);
      // The weekly report of late documents goes out on Mondays at the digest's time (docs/programme.md).
      if (deps.digestTime) await sendLateReports({ notices, logger, at: deps.digestTime }, now);
      const reactions = await lifecycle.retryMissedReactions(now);
      if (reactions.finished || reactions.retried || reactions.failed) logger.info(reactions, 'interrupted and failed reactions retried');
    },
  };
}

/** The mailer, with each mail counted as sent or failed. */
function countedMailer(mailer: Mailer, metrics: Metrics): Mailer {
  return {
    async send(m) {
      try {
        await mailer.send(m);
        metrics.mails.inc({ outcome: 'sent' });
      } catch (err) {
        metrics.mails.inc({ outcome: 'failed' });
        throw err;
      }
    },
  };
}
