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
