import { randomBytes } from 'node:crypto';
import { mongoose, Schema } from './mongoose.js';

const settingSchema = new Schema({ _id: String, value: Schema.Types.Mixed }, { versionKey: false });
export const Setting = mongoose.model('Setting', settingSchema);

/**
 * The session secret lives in the database so that every instance behind a load balancer signs cookies
 * alike without extra configuration; the first instance to start creates it.
 */
export async function sessionSecretFromDatabase(): Promise<string> {
  const doc = await Setting.findOneAndUpdate(
    { _id: 'sessionSecret' },
    { $setOnInsert: { value: randomBytes(48).toString('base64url') } },
    { upsert: true, returnDocument: 'after', projection: { value: 1 } },
  ).lean<{ value: string }>();
  if (!doc) throw new Error('session secret could not be stored');
  return doc.value;
}

/**
 * The naming authority of the catalogue feed's tag: URIs (RFC 4151): the host name of PUBLIC_URL when the
 * feed was first asked for, kept from then on, so that entry ids stay the same when the site moves.
 */
export async function feedAuthorityFromDatabase(publicUrl: string): Promise<string> {
  const doc = await Setting.findOneAndUpdate(
    { _id: 'feedAuthority' },
    { $setOnInsert: { value: new URL(publicUrl).hostname } },
    { upsert: true, returnDocument: 'after', projection: { value: 1 } },
  ).lean<{ value: string }>();
  return doc?.value ?? new URL(publicUrl).hostname;
}
