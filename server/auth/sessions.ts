import { StoredSession } from './sessions-model.js';

export { sessionCollection } from './sessions-model.js';
export const sessionCookie = 'accord.sid';

/** Does the request carry a session cookie (whether or not its session is still valid)? */
export function hasSessionCookie(headers: { cookie?: string }): boolean {
  return /(?:^|;\s*)accord\.sid=/.test(headers.cookie ?? '');
}

/** Deletes every stored session of a person, so that they are signed out everywhere at once. */
export async function endSessionsOf(userId: string): Promise<void> {
  await StoredSession.collection.deleteMany({ 'session.passport.user.id': userId });
}

/**
 * Writes what changed of a person into the sessions they are signed in with (what a session keeps:
 * server/auth/passport.ts): a new name, or the kinds of e-mail notice now turned off.
 */
export async function refreshSessionsOf(userId: string, person: { name?: string; noticesOff?: string[] }): Promise<void> {
  const set: Record<string, unknown> = {};
  if (person.name !== undefined) set['session.passport.user.name'] = person.name;
  if (person.noticesOff !== undefined) set['session.passport.user.off'] = person.noticesOff;
  if (Object.keys(set).length) await StoredSession.collection.updateMany({ 'session.passport.user.id': userId }, { $set: set });
}
