import { randomBytes } from 'node:crypto';
import { testSystem } from './app.js';
import { mongoose } from '../../server/db/mongoose.js';
import { Delegation } from '../../server/delegations/model.js';
import { User, type Role } from '../../server/users/model.js';
import { hashPassword } from '../../server/users/service.js';
import { createDocument } from '../../server/documents/index.js';
import { testEnv } from './env.js';
import type { CurrentUser } from '../../server/auth/current-user.js';
import { transition } from './app.js';
import { postComment } from '../../server/comments/service.js';
import { releasePosition } from '../../server/comments/position.js';
import { finishTemplateText } from './finished-text.js';

export const password = 'Correct horse battery staple 42';
let passwordHash: Promise<string> | undefined;

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}.${randomBytes(5).toString('hex')}@example.org`;
}

export async function delegationId(code: 'BY' | 'RU'): Promise<mongoose.Types.ObjectId> {
  const d = await Delegation.findOne({ code }).select({ _id: 1 }).lean();
  if (!d) throw new Error(`delegation ${code} is not seeded`);
  return d._id;
}

export interface MadeUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
  delegation?: 'BY' | 'RU';
}

/** The person as the services see a caller. */
export function actorOf(u: MadeUser): CurrentUser {
  return { id: u.id, name: u.name, email: u.email, role: u.role, delegationId: null, delegationCode: u.delegation ?? null, sessionVersion: 0, via: 'session' };
}

/** An active person with the shared test password (hashed once per run: argon2id is slow on purpose). */
export async function makeUser(role: Role, opts: { delegation?: 'BY' | 'RU'; active?: boolean; invited?: boolean; name?: string } = {}): Promise<MadeUser> {
  passwordHash ??= hashPassword(password);
  const email = uniqueEmail(role);
  const name = opts.name ?? `${role} ${email.slice(role.length + 1, role.length + 6)}`;
  const u = await User.create({
    email,
    name,
    role,
    delegation: opts.delegation ? await delegationId(opts.delegation) : null,
    delegationCode: opts.delegation ?? null,
    active: opts.active ?? true,
    passwordHash: opts.invited ? null : await passwordHash,
  });
  return { id: String(u._id), email, name, role, password, delegation: opts.delegation };
}

export async function clearRateLimits(): Promise<void> {
  await mongoose.connection.collection('ratelimits').deleteMany({});
}

/**
 * A draft made through the service from a template, by a secretariat member made for it, its blanks
 * filled in (test/helpers/finished-text.ts) unless `bare` asks for the template's text as it is.
 */
export async function makeDocument(opts: { kind?: string; title?: string; by?: MadeUser; bare?: boolean } = {}): Promise<{ id: string; by: MadeUser }> {
  const by = opts.by ?? (await makeUser('secretariat'));
  const doc = await createDocument(actorOf(by), testEnv().templates, {
    kind: opts.kind ?? 'general-technical-requirements',
    titleRu: opts.title ?? 'Микросхемы интегральные. Общие технические требования',
    titleEn: 'Integrated circuits. General technical requirements',
    productGroup: 'integrated-circuits',
    ics: '31.200',
    developer: 'ОАО «ИНТЕГРАЛ»',
  }, new Date());
  if (!opts.bare) await finishTemplateText(String(doc._id));
  return { id: String(doc._id), by };
}

/** A document out for comments (deadline in 30 days) with its secretariat member. */
export async function makeCirculatedDocument(opts: { title?: string } = {}): Promise<{ id: string; by: MadeUser }> {
  const made = await makeDocument(opts);
  await transition(actorOf(made.by), made.id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000) });
  return made;
}

/** A comment of a delegation member on a clause of a circulated document; released when asked. */
export async function makeComment(docId: string, opts: { delegation?: 'BY' | 'RU'; clauseKey?: string; text?: string; release?: boolean; type?: 'ge' | 'te' | 'ed'; line?: string; proposedChange?: string } = {}) {
  const delegation = opts.delegation ?? 'BY';
  const member = await makeUser('member', { delegation });
  const c = await postComment(actorOf(member), docId, { clauseKey: opts.clauseKey ?? 'scope', type: opts.type ?? 'te', text: opts.text ?? 'Уточнить область применения.', line: opts.line, proposedChange: opts.proposedChange }, new Date(), testSystem().notices);
  if (opts.release) await releasePosition(actorOf(await makeUser('head', { delegation })), docId, new Date(), testSystem().notices);
  return { id: String(c._id), member };
}
