import { RateLimiterMongo, type RateLimiterRes } from 'rate-limiter-flexible';
import { mongoose } from '../db/mongoose.js';
import { TooManyRequests } from '../errors.js';

/**
 * Failed sign-ins are counted per account and per address in the database, so the limit holds across
 * instances: 5 failures for one e-mail or 30 from one address in 15 minutes block further tries for
 * 15 minutes.
 */
export function createSignInLimiter() {
  const common = { storeClient: mongoose.connection, dbName: mongoose.connection.db?.databaseName, duration: 15 * 60, blockDuration: 15 * 60 };
  const byAccount = new RateLimiterMongo({ ...common, keyPrefix: 'signin_account', points: 5, tableName: 'ratelimits' });
  const byAddress = new RateLimiterMongo({ ...common, keyPrefix: 'signin_address', points: 30, tableName: 'ratelimits' });

  const blocked = (r: RateLimiterRes | null, points: number) => r !== null && r.consumedPoints >= points;
  const minutes = (r: RateLimiterRes) => Math.max(1, Math.ceil(r.msBeforeNext / 60000));

  return {
    /** Throws TooManyRequests while either counter is exhausted. */
    async check(email: string, address: string): Promise<void> {
      const [a, b] = await Promise.all([byAccount.get(email.toLowerCase()), byAddress.get(address)]);
      const hit = blocked(a, 5) ? a! : blocked(b, 30) ? b! : null;
      if (hit) throw new TooManyRequests('auth.tooManyAttempts', { count: minutes(hit) }, Math.ceil(hit.msBeforeNext / 1000));
    },
    async failed(email: string, address: string): Promise<void> {
      await Promise.all([byAccount.penalty(email.toLowerCase(), 1), byAddress.penalty(address, 1)]);
    },
    async succeeded(email: string): Promise<void> {
      await byAccount.delete(email.toLowerCase());
    },
  };
}

export type SignInLimiter = ReturnType<typeof createSignInLimiter>;
