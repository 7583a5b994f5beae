import assert from 'node:assert/strict';
import { loadConfig } from '../../server/config.js';

describe('configuration', () => {
  it('runs in production mode unless told otherwise (npm start serves people; npm run dev sets development)', () => {
    assert.equal(loadConfig({}).env, 'production');
    assert.equal(loadConfig({ NODE_ENV: 'development' }).env, 'development');
    assert.equal(loadConfig({ NODE_ENV: '' }).env, 'production', 'an empty value counts as unset');
  });
});
