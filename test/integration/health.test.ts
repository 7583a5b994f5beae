// The database health behind /healthz (server/db/health.ts, docs/engine.md «Time limits»): a kept answer
// saves pings, and is dropped as soon as the driver sees the server fail.
import assert from 'node:assert/strict';
import { mongoose } from '../../server/db/mongoose.js';
import { databaseHealth } from '../../server/db/health.js';

describe('the database health behind /healthz', () => {
  const db = () => mongoose.connection.db!;
  let original: ReturnType<typeof db>['command'];
  let pings = 0;
  let answer: 'up' | 'down' = 'up';
  before(() => {
    original = db().command;
    db().command = (async (cmd: Parameters<typeof original>[0], options?: Parameters<typeof original>[1]) => {
      if ('ping' in cmd) {
        pings++;
        if (answer === 'down') throw new Error('connection reset');
      }
      return original.call(db(), cmd, options);
    }) as typeof original;
  });
  after(() => {
    db().command = original;
  });

  it('keeps an answer for its time, and asks again once the driver has seen the server fail', async () => {
    const health = databaseHealth({ cacheMs: 600_000 });
    pings = 0;
    answer = 'up';
    assert.equal(await health.isUp(), true);
    answer = 'down';
    assert.equal(await health.isUp(), true, 'kept');
    assert.equal(pings, 1);

    mongoose.connection.getClient().emit('serverHeartbeatFailed', {} as never);
    assert.equal(await health.isUp(), false, 'asked again after the failure');
    assert.equal(pings, 2);
    answer = 'up';
    assert.equal(await health.isUp(), false, 'the failed answer is kept in turn');

    mongoose.connection.getClient().emit('connectionPoolCleared', {} as never);
    assert.equal(await health.isUp(), true);
    assert.equal(pings, 3);
  });
});
