import { mongoose } from '../db/mongoose.js';
import { InvalidInput } from '../errors.js';
import { linkMessage } from '../mail/messages.js';
import type { MailContext } from '../mail/context.js';
import type { UserRecord } from '../users/index.js';
import { OneTimeLink } from './links-model.js';
import { hashSecret, newSecret } from './tokens.js';

export type LinkKind = 'invitation' | 'reset';

const lifetimeHours: Record<LinkKind, number> = { invitation: 7 * 24, reset: 1 };
const pathOf: Record<LinkKind, string> = { invitation: '/invitations/', reset: '/password/reset/' };

export const messages = {
  invalid: 'links.invalid',
  used: 'links.used',
  expired: 'links.expired',
} as const;

/** Stores a fresh one-time link (only its hash) and e-mails it; earlier unused links of the kind stop working. */
export async function issueLink(mail: MailContext, kind: LinkKind, user: Pick<UserRecord, '_id' | 'email' | 'name' | 'locale'>): Promise<void> {
  const { secret, hash } = newSecret();
  const { now } = mail;
  await OneTimeLink.updateMany({ user: user._id, kind, usedAt: null }, { $set: { usedAt: now } });
  await OneTimeLink.create({ kind, user: user._id, tokenHash: hash, expiresAt: new Date(now.getTime() + lifetimeHours[kind] * 3600_000) });
  const locale = user.locale ?? mail.locale;
  await mail.mailer.send(
    linkMessage({ locale, to: user.email, kind, name: user.name, link: `${mail.publicUrl}${pathOf[kind]}${secret}`, params: { hours: lifetimeHours[kind], days: lifetimeHours[kind] / 24 } }),
  );
}

interface LinkRecord {
  _id: unknown;
  user: UserRecord['_id'];
  expiresAt: Date;
  usedAt: Date | null;
}

function checkUsable(link: LinkRecord | null, now: Date): asserts link is LinkRecord {
  if (!link) throw new InvalidInput(messages.invalid);
  if (link.usedAt) throw new InvalidInput(messages.used);
  if (link.expiresAt.getTime() <= now.getTime()) throw new InvalidInput(messages.expired);
}

const linkFields = { user: 1, expiresAt: 1, usedAt: 1 } as const;

/** The person a link is for, if it can still be used; changes nothing. */
export async function inspectLink(kind: LinkKind, secret: string, now: Date): Promise<string> {
  const link = await OneTimeLink.findOne({ kind, tokenHash: hashSecret(secret) }).select(linkFields).lean<LinkRecord>();
  checkUsable(link, now);
  return String(link.user);
}

/**
 * Marks a link used and returns its person. The conditional update lets exactly one of two
 * simultaneous uses through.
 */
export async function consumeLink(kind: LinkKind, secret: string, now: Date): Promise<string> {
  const tokenHash = hashSecret(secret);
  const link = await OneTimeLink.findOneAndUpdate(
    // sanitizeFilter wraps operators in $eq unless they are marked as the code's own.
    { kind, tokenHash, usedAt: null, expiresAt: mongoose.trusted({ $gt: now }) },
    { $set: { usedAt: now } },
    { projection: linkFields },
  ).lean<LinkRecord>();
  if (link) return String(link.user);
  // Explain why: the same checks, on what is stored now.
  checkUsable(await OneTimeLink.findOne({ kind, tokenHash }).select(linkFields).lean<LinkRecord>(), now);
  throw new InvalidInput(messages.used);
}
