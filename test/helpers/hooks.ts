import { startTestEnvironment, stopTestEnvironment } from './env.js';

// Root hooks: the engine and the SMTP capture start once for the whole run.
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await startTestEnvironment();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await stopTestEnvironment();
  },
};
