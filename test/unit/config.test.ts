import assert from 'node:assert/strict';
import { loadConfig } from '../../server/config.js';

describe('configuration', () => {
  it('runs in production mode unless told otherwise (npm start serves people; npm run dev sets development)', () => {
    assert.equal(loadConfig({}).env, 'production');
    assert.equal(loadConfig({ NODE_ENV: 'development' }).env, 'development');
    assert.equal(loadConfig({ NODE_ENV: '' }).env, 'production', 'an empty value counts as unset');
  });

  it('trusts X-Forwarded-For only from as many proxies as it is told', () => {
    assert.equal(loadConfig({}).trustProxy, 0);
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, 1);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, 0);
    assert.throws(() => loadConfig({ TRUST_PROXY: 'everyone' }), /TRUST_PROXY: must be true, false or the number of proxies in front/);
  });

  it('keeps the metrics closed unless a token or a port is given', () => {
    assert.equal(loadConfig({}).metricsToken, undefined);
    assert.equal(loadConfig({}).metricsPort, undefined);
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN: must be at least 16 characters/);
  });

  it('sends the daily digest at 08:00 committee time unless told another time or off', () => {
    assert.equal(loadConfig({}).digestTime, '08:00');
    assert.equal(loadConfig({ DIGEST_TIME: '07:30' }).digestTime, '07:30');
    assert.equal(loadConfig({ DIGEST_TIME: 'off' }).digestTime, null);
    assert.throws(() => loadConfig({ DIGEST_TIME: '8am' }), /DIGEST_TIME: must be HH:MM/);
  });
});
