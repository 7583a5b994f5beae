import { RateLimiterMongo, type RateLimiterRes } from 'rate-limiter-flexible';
import { mongoose } from '../db/mongoose.js';
import { TooManyRequests } from '../errors.js';

/**
 * Sign-in attempts are counted per account and per address in the database, so the limit holds across
 * instances: 5 attempts for one e-mail or 30 from one address in 15 minutes, then further tries are
 * blocked for 15 minutes. The point is taken (an atomic increment) *before* the password is checked, so
 * a burst of parallel guesses gets no more checks than the limit; a successful sign-in gives the points
 * back.
 */
export function createSignInLimiter() {
  const common = { storeClient: mongoose.connection, dbName: mongoose.connection.db?.databaseName, duration: 15 * 60, blockDuration: 15 * 60 };
  const byAccount = new RateLimiterMongo({ ...common, keyPrefix: 'signin_account', points: 5, tableName: 'ratelimits' });
  const byAddress = new RateLimiterMongo({ ...common, keyPrefix: 'signin_address', points: 30, tableName: 'ratelimits' });

  const minutes = (r: RateLimiterRes) => Math.max(1, Math.ceil(r.msBeforeNext / 60000));
  const account = (email: string) => email.trim().toLowerCase();

  return {
    /** Takes one attempt from both counters; throws TooManyRequests when either is exhausted. */
    async attempt(email: string, address: string): Promise<void> {
      const results = await Promise.allSettled([byAccount.consume(account(email), 1), byAddress.consume(address, 1)]);
      let refused: RateLimiterRes | undefined;
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        // The limiter rejects with its result object when the points are gone, with an Error when the store fails.
        if (r.reason instanceof Error) throw r.reason;
        const res = r.reason as RateLimiterRes;
        if (!refused || res.msBeforeNext > refused.msBeforeNext) refused = res;
      }
      if (refused) throw new TooManyRequests('auth.tooManyAttempts', { count: minutes(refused) }, Math.ceil(refused.msBeforeNext / 1000));
    },
    /** The attempt signed in: the account starts afresh and the address gets its point back. */
    async succeeded(email: string, address: string): Promise<void> {
      await Promise.all([byAccount.delete(account(email)), byAddress.reward(address, 1)]);
    },
  };
}

export type SignInLimiter = ReturnType<typeof createSignInLimiter>;
