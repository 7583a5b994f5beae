import { hash, verify } from '@node-rs/argon2';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.js';
import { endSessionsOf, refreshSessionsOf } from '../auth/index.js';
import { issueLink } from '../auth/index.js';
import { revokeAllApiTokens } from '../auth/index.js';
import type { MailContext } from '../mail/context.js';
import { findDelegationByCode } from '../delegations/service.js';
import type { Locale } from '../i18n/index.js';
import { checkNewPassword } from './password-policy.js';
import { searchWordsOf } from './search-words.js';
import { delegationRoles, noticeKinds, User, type NoticeKind, type Role, type UserRecord } from './model.js';

export { checkNewPassword };

export const messages = {
  emailTaken: 'users.emailTaken',
  delegationRequired: 'users.delegationRequired',
  delegationNotAllowed: 'users.delegationNotAllowed',
  unknownDelegation: 'users.unknownDelegation',
  notFound: 'users.notFound',
  setupDone: 'setup.alreadyDone',
  notYourself: 'users.notYourself',
  wrongPassword: 'account.wrongPassword',
} as const;

// argon2id with the parameters OWASP recommends as a minimum (19 MiB, 2 passes).
const argonOptions = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const publicUserFields = { email: 1, name: 1, organisation: 1, role: 1, delegation: 1, active: 1, locale: 1, sessionVersion: 1, createdAt: 1, lastSignInAt: 1, passwordHash: 1 } as const;

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  organisation?: string;
  role: Role;
  delegation: string | null;
  active: boolean;
  invited: boolean;
  createdAt: Date;
  lastSignInAt?: Date;
}

export function toPublicUser(u: UserRecord): PublicUser {
  return {
    id: String(u._id),
    email: u.email,
    name: u.name,
    organisation: u.organisation,
    role: u.role,
    delegation: u.delegation ? String(u.delegation) : null,
    active: u.active,
    invited: !u.passwordHash,
    createdAt: u.createdAt,
    lastSignInAt: u.lastSignInAt,
  };
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password, { ...argonOptions, algorithm: 2 /* Argon2id */ });
}

function isDuplicateKey(err: unknown, field: string): boolean {
  const e = err as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
  return e?.code === 11000 && (e.keyPattern ? field in e.keyPattern : String(e.message).includes(field));
}

export async function hasAnyUser(): Promise<boolean> {
  return (await User.exists({})) !== null;
}

/** The first administrator of an empty installation; of two concurrent attempts exactly one wins. */
export async function createFirstAdministrator(input: { name: string; email: string; password: string }): Promise<PublicUser> {
  if (await hasAnyUser()) throw new NotFound(messages.setupDone);
  checkNewPassword(input.password, input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    const u = await User.create({ name: input.name, email: input.email, passwordHash, role: 'administrator', setupSlot: 'first' });
    return toPublicUser(u.toObject() as UserRecord);
  } catch (err) {
    if (isDuplicateKey(err, 'setupSlot') || isDuplicateKey(err, 'email')) throw new Conflict(messages.setupDone);
    throw err;
  }
}

async function resolveDelegation(role: Role, code: string | undefined): Promise<{ delegation: mongoose.Types.ObjectId; delegationCode: string } | { delegation: null; delegationCode: null }> {
  if (!delegationRoles.includes(role)) {
    if (code) throw new InvalidInput(messages.delegationNotAllowed, {}, { delegation: messages.delegationNotAllowed });
    return { delegation: null, delegationCode: null };
  }
  if (!code) throw new InvalidInput(messages.delegationRequired, {}, { delegation: messages.delegationRequired });
  const d = await findDelegationByCode(code);
  if (!d || !d.active) throw new InvalidInput(messages.unknownDelegation, { code }, { delegation: messages.unknownDelegation });
  return { delegation: d._id, delegationCode: d.code };
}

export interface InviteInput {
  name: string;
  email: string;
  role: Role;
  delegation?: string;
  organisation?: string;
}

/** Creates the account without a password and e-mails a one-time link to set it. */
export async function inviteUser(mail: MailContext, input: InviteInput): Promise<PublicUser> {
  const membership = await resolveDelegation(input.role, input.delegation);
  let created;
  try {
    created = await User.create({ name: input.name, email: input.email, role: input.role, organisation: input.organisation, ...membership, locale: mail.locale });
  } catch (err) {
    if (isDuplicateKey(err, 'email')) throw new InvalidInput(messages.emailTaken, {}, { email: messages.emailTaken });
    throw err;
  }
  const user = created.toObject() as UserRecord;
  await issueLink(mail, 'invitation', user);
  return toPublicUser(user);
}

export async function resendInvitation(mail: MailContext, id: string): Promise<void> {
  const user = await findUser(id);
  if (user.passwordHash || !user.active) throw new Conflict('users.notInvited');
  await issueLink(mail, 'invitation', user);
}

export async function findUser(id: string): Promise<UserRecord> {
  if (!mongoose.isValidObjectId(id)) throw new NotFound(messages.notFound);
  const u = await User.findById(id).select(publicUserFields).lean<UserRecord>();
  if (!u) throw new NotFound(messages.notFound);
  return u;
}

export async function listUsers(): Promise<PublicUser[]> {
  const users = await User.find({}).select(publicUserFields).sort({ name: 1 }).lean<UserRecord[]>();
  return users.map(toPublicUser);
}

/** How many people are invited and have not set their password yet (the administrator's home page). */
export async function countInvited(): Promise<number> {
  return User.countDocuments({ active: true, passwordHash: null });
}

export async function listUsersOfDelegation(delegationId: string): Promise<PublicUser[]> {
  const users = await User.find({ delegation: delegationId }).select(publicUserFields).sort({ name: 1 }).lean<UserRecord[]>();
  return users.map(toPublicUser);
}

export async function updateUser(actorId: string, id: string, input: { name: string; role: Role; delegation?: string; organisation?: string }): Promise<void> {
  const user = await findUser(id);
  if (String(user._id) === actorId && input.role !== user.role) throw new Forbidden(messages.notYourself);
  const membership = await resolveDelegation(input.role, input.delegation);
  const changesAccess = input.role !== user.role || String(membership.delegation) !== String(user.delegation ?? null);
  await User.updateOne(
    { _id: user._id },
    { $set: { name: input.name, searchWords: searchWordsOf(input.name, user.email), role: input.role, ...membership, organisation: input.organisation }, ...(changesAccess ? { $inc: { sessionVersion: 1 } } : {}) },
  );
  if (changesAccess) await endSessionsOf(id);
  else if (input.name !== user.name) await refreshSessionsOf(id, { name: input.name });
}

/** Deactivation ends the person's sessions at once and revokes their API tokens for good. */
export async function setUserActive(actorId: string, id: string, active: boolean, now: Date): Promise<void> {
  const user = await findUser(id);
  if (String(user._id) === actorId) throw new Forbidden(messages.notYourself);
  await User.updateOne({ _id: user._id }, active ? { $set: { active: true } } : { $set: { active: false }, $inc: { sessionVersion: 1 } });
  if (!active) {
    await endSessionsOf(id);
    await revokeAllApiTokens(id, now);
  }
}

// A fixed hash to verify against when no account matches, so that the answer takes as long either way.
let dummyHash: Promise<string> | undefined;

/**
 * The account with this e-mail and password, or why not. Only someone who knows the password learns
 * that the account is deactivated, so the answer reveals nothing to a guesser.
 */
export async function verifyCredentials(email: string, password: string): Promise<{ user: UserRecord } | { refused: 'badCredentials' | 'deactivated' }> {
  const user = await User.findOne({ email: email.trim().toLowerCase() }).select(publicUserFields).lean<UserRecord>();
  if (!user?.passwordHash) {
    dummyHash ??= hashPassword('a password that nobody has chosen');
    await verify(await dummyHash, password).catch(() => false);
    return { refused: 'badCredentials' };
  }
  const ok = await verify(user.passwordHash, password).catch(() => false);
  if (!ok) return { refused: 'badCredentials' };
  return user.active ? { user } : { refused: 'deactivated' };
}

export async function recordSignIn(id: string, now: Date): Promise<void> {
  await User.updateOne({ _id: id }, { $set: { lastSignInAt: now } });
}

/** What signing a person in, and keeping them signed in, needs to know of the account. */
export type SessionUser = Pick<UserRecord, '_id' | 'email' | 'name' | 'role' | 'delegation' | 'delegationCode' | 'active' | 'sessionVersion' | 'unsubscribed'>;
const sessionFields = { email: 1, name: 1, role: 1, delegation: 1, delegationCode: 1, active: 1, sessionVersion: 1, unsubscribed: 1 } as const;

/** The account behind a session or an API token, if it is still active (null otherwise). */
export async function findForSession(id: string): Promise<SessionUser | null> {
  const u = await User.findById(id).select(sessionFields).lean<SessionUser>();
  return u && u.active ? u : null;
}

/** The active account with this e-mail address, with what a password-reset e-mail needs; null if there is none. */
export async function findActiveByEmail(email: string): Promise<Pick<UserRecord, '_id' | 'email' | 'name' | 'locale' | 'passwordHash'> | null> {
  return User.findOne({ email: email.toLowerCase(), active: true }).select({ email: 1, name: 1, locale: 1, passwordHash: 1 }).lean<UserRecord>();
}

/**
 * Sets a new password; other sessions of the person end (the caller re-signs the current one) and their
 * API tokens are revoked. Returns the new session version and how many tokens were revoked.
 */
export async function setPassword(user: UserRecord, password: string, now: Date): Promise<{ sessionVersion: number; tokensRevoked: number }> {
  checkNewPassword(password, user.email);
  const passwordHash = await hashPassword(password);
  const after = await User.findOneAndUpdate(
    { _id: user._id },
    { $set: { passwordHash }, $inc: { sessionVersion: 1 } },
    { returnDocument: 'after', projection: { sessionVersion: 1 } },
  ).lean<{ sessionVersion: number }>();
  await endSessionsOf(String(user._id));
  const tokensRevoked = await revokeAllApiTokens(String(user._id), now);
  return { sessionVersion: after?.sessionVersion ?? 0, tokensRevoked };
}

export async function changePassword(userId: string, current: string, next: string, now: Date): Promise<{ user: UserRecord; tokensRevoked: number }> {
  const user = await findUser(userId);
  const ok = user.passwordHash ? await verify(user.passwordHash, current).catch(() => false) : false;
  if (!ok) throw new InvalidInput(messages.wrongPassword, {}, { current: messages.wrongPassword });
  const { sessionVersion, tokensRevoked } = await setPassword(user, next, now);
  return { user: { ...user, sessionVersion }, tokensRevoked };
}

export async function setLocale(userId: string, locale: Locale): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { locale } });
}

/** Which e-mail notices the person receives, for the account page. */
export async function noticeSettings(userId: string, every = false): Promise<{ kind: string; on: boolean }[]> {
  const u = await User.findById(userId).select({ unsubscribed: 1, role: 1 }).lean<{ unsubscribed?: string[]; role?: Role }>();
  return noticeSettingsOf(u?.role, u?.unsubscribed, every);
}

/**
 * The same for the signed-in person, from what their session keeps of the account (server/auth/passport.ts)
 * when it keeps the kinds turned off; read from the account otherwise.
 */
export async function noticeSettingsFor(person: { id: string; role: Role; noticesOff?: readonly string[] }): Promise<{ kind: string; on: boolean }[]> {
  return person.noticesOff ? noticeSettingsOf(person.role, person.noticesOff) : noticeSettings(person.id);
}

function noticeSettingsOf(role: Role | undefined, off: readonly string[] = [], every = false): { kind: string; on: boolean }[] {
  // A manufacturer hears only from the catalogue; the committee's people never from it (subscriptions are manufacturers').
  // The weekly report of late documents is the secretariat's alone (docs/programme.md).
  const theirs = noticeKinds.filter((kind) => every || ((role === 'manufacturer') === (kind === 'catalogue') && (kind !== 'lateReport' || role === 'secretariat')));
  return theirs.map((kind) => ({ kind, on: !off.includes(kind) }));
}

/** Turns one kind of e-mail notice off for the person (the one-click unsubscribe link); their open sessions learn it at once. */
export async function turnNoticeOff(userId: string, kind: NoticeKind): Promise<void> {
  const after = await User.findOneAndUpdate({ _id: userId }, { $addToSet: { unsubscribed: kind } }, { returnDocument: 'after', projection: { unsubscribed: 1 } }).lean<{ unsubscribed?: string[] }>();
  if (after) await refreshSessionsOf(userId, { noticesOff: after.unsubscribed ?? [] });
}

/** The account page's notice settings: exactly these kinds are off, every other kind on (in the open sessions too). */
export async function setNoticesOff(userId: string, off: readonly NoticeKind[]): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { unsubscribed: off } });
  await refreshSessionsOf(userId, { noticesOff: [...off] });
}

/** The e-mail address of an account, for the unsubscribe page; null when there is no such account. */
export async function emailOf(userId: string): Promise<string | null> {
  if (!mongoose.isValidObjectId(userId)) return null;
  const u = await User.findById(userId).select({ email: 1 }).lean<{ email: string }>();
  return u?.email ?? null;
}

export interface NoticeRecipient {
  _id: mongoose.Types.ObjectId;
  email: string;
  name: string;
  locale?: Locale;
  unsubscribed?: string[];
  role?: Role;
}

/**
 * The people a notice of this kind goes to: active, with a password set (not only invited), in one of
 * the roles and, when delegations are given, in one of them, and not unsubscribed from the kind.
 */
export async function noticeRecipients(filter: { roles: readonly string[]; delegationIds?: readonly mongoose.Types.ObjectId[] }, kind: NoticeKind): Promise<NoticeRecipient[]> {
  const q: Record<string, unknown> = { active: true, role: mongoose.trusted({ $in: filter.roles }), passwordHash: mongoose.trusted({ $ne: null }), unsubscribed: mongoose.trusted({ $ne: kind }) };
  if (filter.delegationIds) q.delegation = mongoose.trusted({ $in: filter.delegationIds });
  return User.find(q).select({ email: 1, name: 1, locale: 1, unsubscribed: 1, role: 1 }).lean<NoticeRecipient[]>();
}

/**
 * An account with its password set and no invitation, for the demo loader's committee (people who are
 * never invited by mail). The address must be free.
 */
export async function createActiveAccount(input: { email: string; name: string; role: Role; organisation?: string; delegation: { _id: mongoose.Types.ObjectId; code: string } | null; password: string; locale: Locale }): Promise<{ _id: mongoose.Types.ObjectId }> {
  checkNewPassword(input.password);
  const u = await User.create({
    email: input.email, name: input.name, role: input.role, organisation: input.organisation, delegation: input.delegation?._id ?? null, delegationCode: input.delegation?.code ?? null,
    passwordHash: await hashPassword(input.password), locale: input.locale,
  });
  return { _id: u._id };
}

export async function setOrganisationAndLocale(email: string, organisation: string | undefined, locale: Locale): Promise<void> {
  await User.updateOne({ email }, { $set: { organisation, locale } });
}

/** Everyone who may get the daily digest: active, with a password, not opted out; with what "what needs me" asks of them. */
export async function digestRecipients(): Promise<(NoticeRecipient & { role: Role; delegation?: mongoose.Types.ObjectId | null; delegationCode?: string | null; sessionVersion: number })[]> {
  return User.find({ active: true, passwordHash: mongoose.trusted({ $ne: null }), unsubscribed: mongoose.trusted({ $ne: 'digest' }), role: mongoose.trusted({ $in: ['administrator', 'secretariat', 'head', 'member'] }) })
    .select({ email: 1, name: 1, locale: 1, unsubscribed: 1, role: 1, delegation: 1, delegationCode: 1, sessionVersion: 1 })
    .lean<(NoticeRecipient & { role: Role; delegation?: mongoose.Types.ObjectId | null; delegationCode?: string | null; sessionVersion: number })[]>();
}
