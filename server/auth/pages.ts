// The models of the auth feature's own pages (the sign-in form, the account page).
import type { CurrentUser } from './current-user.js';
import { accountOverview } from './service.js';

/** The sign-in page's own model. */
export function signInPage(setupDone: boolean, next: string): Record<string, unknown> {
  return { title: 'auth.signIn', setupDone, values: { next } };
}

/** The account page's own model: the person's tokens and notice settings. */
export async function accountPage(person: CurrentUser): Promise<Record<string, unknown>> {
  return { title: 'account.title', ...(await accountOverview(person)) };
}
