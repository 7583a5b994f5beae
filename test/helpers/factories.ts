import { randomBytes } from 'node:crypto';
import { mongoose } from '../../server/db/mongoose.js';
import { Delegation } from '../../server/delegations/model.js';
import { User, type Role } from '../../server/users/model.js';
import { hashPassword } from '../../server/users/service.js';

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
    active: opts.active ?? true,
    passwordHash: opts.invited ? null : await passwordHash,
  });
  return { id: String(u._id), email, name, role, password };
}

export async function clearRateLimits(): Promise<void> {
  await mongoose.connection.collection('ratelimits').deleteMany({});
}
