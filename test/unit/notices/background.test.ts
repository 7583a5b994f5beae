import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createNotices } from '../../../server/notices/index.js';
import { systemClock } from '../../../server/time/clock.js';

const notices = createNotices({ mailer: { send: async () => undefined }, publicUrl: 'http://accord.test', secret: 'unit-test-secret', logger: pino({ level: 'silent' }), clock: systemClock });
const { inBackground } = notices;
const drainNotices = () => notices.drain();

/** A promise the test settles when it chooses. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('notices in the background', () => {
  it('drain resolves at once when nothing runs', async () => {
    await drainNotices();
  });

  it('drain waits for every notice started so far, a failed one and one started by another included', async () => {
    const first = deferred();
    const failing = deferred();
    const later = deferred();
    const done: string[] = [];
    inBackground(first.promise.then(() => {
      done.push('first');
      // A notice that starts another before it ends.
      inBackground(later.promise.then(() => done.push('later')));
    }));
    inBackground(failing.promise);
    let drained = false;
    const drain = drainNotices().then(() => (drained = true));

    first.resolve();
    failing.reject(new Error('mail server down'));
    // Settle everything already settled; the drain still waits for the notice started meanwhile.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(done, ['first']);
    assert.equal(drained, false);

    later.resolve();
    await drain;
    assert.deepEqual(done, ['first', 'later']);
  });
});
