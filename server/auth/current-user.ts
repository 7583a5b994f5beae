import type { Role } from '../users/index.js';

/** Who is calling: what every guard and service needs to know about a signed-in person. */
export interface CurrentUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  delegationId: string | null;
  delegationCode: string | null;
  sessionVersion: number;
  via: 'session' | 'token';
  /**
   * The kinds of e-mail notice the person turned off, as read with the account or kept by the session
   * (server/auth/passport.ts); absent for a caller made otherwise, whose settings are then read.
   */
  noticesOff?: readonly string[];
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // Passport types req.user as Express.User; Accord's is CurrentUser.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends CurrentUser {}
  }
}
