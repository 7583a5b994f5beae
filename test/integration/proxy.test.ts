import assert from 'node:assert/strict';
import type { Express } from 'express';
import { anonymousAgent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { clearRateLimits, uniqueEmail } from '../helpers/factories.js';

/** 30 failed sign-ins (each for another account) claiming to come from `claimed`, then one from `then`. */
async function thirtyFailuresThenOne(app: Express, claimed: string, then: string): Promise<number> {
  const { agent, csrf } = await anonymousAgent(app);
  for (let i = 0; i < 30; i++) {
    await agent.post('/sign-in').set('X-Forwarded-For', claimed).type('form').send({ _csrf: csrf, email: uniqueEmail('nobody'), password: 'wrong password' }).expect(401);
  }
  const last = await agent.post('/sign-in').set('X-Forwarded-For', then).type('form').send({ _csrf: csrf, email: uniqueEmail('nobody'), password: 'wrong password' });
  return last.status;
}

describe('behind a proxy (TRUST_PROXY)', function () {
  this.timeout(120_000);
  beforeEach(clearRateLimits);
  after(clearRateLimits);

  it('ignores X-Forwarded-For without TRUST_PROXY: a client cannot choose its address to escape the limit', async () => {
    assert.equal(await thirtyFailuresThenOne(testApp(), '203.0.113.7', '198.51.100.9'), 429);
  });

  it('takes the address the trusted proxy names with TRUST_PROXY', async () => {
    assert.equal(await thirtyFailuresThenOne(testApp({ TRUST_PROXY: 'true' }), '203.0.113.7', '198.51.100.9'), 401);
  });
});
