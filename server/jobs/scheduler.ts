import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Logger } from 'pino';
import { mongoose } from '../db/mongoose.js';
import type { System } from '../system.js';

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Scheduled work, stored in the database through agenda so that several instances share it: one job
 * record, locked by whichever instance runs it. The work itself is idempotent besides.
 */
export async function startScheduler(opts: { system: System; logger: Logger; processEvery?: number | string; every?: string }): Promise<Scheduler> {
  // agenda's backend is typed against its own copy of the driver; the Db object is the same API.
  const db = mongoose.connection.db as unknown as ConstructorParameters<typeof MongoBackend>[0] extends { mongo?: infer D } ? D : never;
  const agenda = new Agenda({ backend: new MongoBackend({ mongo: db, collection: 'jobs' }), processEvery: opts.processEvery ?? '30 seconds', name: `accord-${process.pid}` });
  agenda.define('comment-periods', async () => {
    try {
      await opts.system.sweep(opts.system.clock.now());
      opts.system.metrics.jobs.inc({ job: 'comment-periods', outcome: 'done' });
    } catch (err) {
      opts.system.metrics.jobs.inc({ job: 'comment-periods', outcome: 'failed' });
      throw err;
    }
  });
  agenda.on('error', (err: unknown) => opts.logger.error({ err }, 'scheduler error'));
  await agenda.start();
  await agenda.every(opts.every ?? '1 minute', 'comment-periods');
  return {
    async stop() {
      await agenda.stop();
    },
  };
}
