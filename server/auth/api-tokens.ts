import { mongoose } from '../db/mongoose.js';
import { InvalidInput, NotFound } from '../errors.js';
import { ApiToken } from './links-model.js';
import { hashSecret, newSecret } from './tokens.js';

export interface TokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const fields = { name: 1, prefix: 1, createdAt: 1, lastUsedAt: 1, revokedAt: 1 } as const;
const maxTokensPerPerson = 20;

/** Creates a token; its secret is returned this once and only its hash is stored. */
export async function createApiToken(userId: string, name: string): Promise<{ secret: string; token: TokenSummary }> {
  const active = await ApiToken.countDocuments({ user: userId, revokedAt: null });
  if (active >= maxTokensPerPerson) throw new InvalidInput('tokens.tooMany', { max: maxTokensPerPerson }, { name: 'tokens.tooMany' });
  const { secret, hash } = newSecret('acc_');
  const t = await ApiToken.create({ user: userId, name, tokenHash: hash, prefix: secret.slice(0, 10) });
  return { secret, token: { id: String(t._id), name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: null, revokedAt: null } };
}

export async function listApiTokens(userId: string): Promise<TokenSummary[]> {
  const rows = await ApiToken.find({ user: userId }).select(fields).sort({ createdAt: -1 }).lean();
  return rows.map((t) => ({ id: String(t._id), name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt ?? null, revokedAt: t.revokedAt ?? null }));
}

/** Revokes one of the person's own tokens; someone else's token is "not found". */
export async function revokeApiToken(userId: string, tokenId: string, now: Date): Promise<void> {
  if (!mongoose.isValidObjectId(tokenId)) throw new NotFound('tokens.notFound');
  const r = await ApiToken.updateOne({ _id: tokenId, user: userId, revokedAt: null }, { $set: { revokedAt: now } });
  if (r.matchedCount === 0 && !(await ApiToken.exists({ _id: tokenId, user: userId }))) throw new NotFound('tokens.notFound');
}

/**
 * Revokes every token the person still has: on a new password (a reset or a change, since a token may
 * have leaked with the old one) and on deactivation, for good — reactivating an account brings none back.
 * Returns how many were revoked, so that the person can be told.
 */
export async function revokeAllApiTokens(userId: string, now: Date): Promise<number> {
  const r = await ApiToken.updateMany({ user: userId, revokedAt: null }, { $set: { revokedAt: now } });
  return r.modifiedCount;
}

/** The unrevoked token with this secret: its id and its owner's; null when there is none. */
export async function findApiToken(secret: string): Promise<{ id: string; userId: string } | null> {
  const t = await ApiToken.findOne({ tokenHash: hashSecret(secret), revokedAt: null }).select({ user: 1 }).lean();
  return t ? { id: String(t._id), userId: String(t.user) } : null;
}

/** Records a use of the token (only a call that is let through counts as one). */
export async function markApiTokenUsed(id: string, now: Date): Promise<void> {
  await ApiToken.updateOne({ _id: id }, { $set: { lastUsedAt: now } });
}
