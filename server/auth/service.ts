import type { MailContext } from '../mail/context.js';
import type { UserRecord } from '../users/index.js';
import { checkNewPassword, findActiveByEmail, findUser, noticeSettingsFor, setPassword } from '../users/service.js';
import type { CurrentUser } from './current-user.js';
import { listApiTokens, type TokenSummary } from './api-tokens.js';
import { consumeLink, inspectLink, issueLink, type LinkKind } from './links.js';

// What the auth routes do with accounts, one-time links and API tokens (docs/architecture.md: routes →
// service). Passwords and accounts themselves belong to the users feature, which these call.

export { createApiToken, listApiTokens, revokeApiToken, type TokenSummary } from './api-tokens.js';
export type { LinkKind } from './links.js';

/**
 * E-mails a password-reset link to the active account with this address, if it has a password. The caller
 * answers the same either way, so that nobody learns who has an account.
 */
export async function requestPasswordReset(mail: MailContext, email: string): Promise<void> {
  const u = await findActiveByEmail(email);
  if (u?.passwordHash) await issueLink(mail, 'reset', u);
}

/** The person a one-time link is for; InvalidInput (`links.*`) when the link can no longer be used. Changes nothing. */
export async function personOfLink(kind: LinkKind, secret: string, now: Date): Promise<UserRecord> {
  return findUser(await inspectLink(kind, secret, now));
}

/** The person a one-time link is for, or null when the link can no longer be used. */
export async function personOfUsableLink(kind: LinkKind, secret: string, now: Date): Promise<UserRecord | null> {
  let userId: string;
  try {
    userId = await inspectLink(kind, secret, now);
  } catch {
    return null;
  }
  return findUser(userId);
}

/**
 * Sets the password of the link's person (from personOfLink) and uses the link up. The password is checked
 * before the link is used, so a refused password leaves the link working. Returns how many API tokens the
 * new password revoked.
 */
export async function setPasswordByLink(kind: LinkKind, secret: string, person: UserRecord, password: string, now: Date): Promise<{ tokensRevoked: number }> {
  checkNewPassword(password, person.email);
  await consumeLink(kind, secret, now);
  const { tokensRevoked } = await setPassword(person, password, now);
  return { tokensRevoked };
}

/**
 * What the account page shows of a person: their API tokens and which e-mail notices they receive (from
 * what the session keeps of the account, so that the page reads only the tokens).
 */
export async function accountOverview(person: CurrentUser): Promise<{ tokens: TokenSummary[]; notices: { kind: string; on: boolean }[] }> {
  const [tokens, notices] = await Promise.all([listApiTokens(person.id), noticeSettingsFor(person)]);
  return { tokens, notices };
}
