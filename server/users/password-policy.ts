import { dictionary } from '@zxcvbn-ts/language-common';
import { InvalidInput } from '../errors.js';

export const minPasswordLength = 12;
const maxPasswordLength = 256;
const common = new Set<string>((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** Throws InvalidInput (field "password") when a new password is too short, too long or well known. */
export function checkNewPassword(password: string, email?: string): void {
  const fail = (key: string, params: Record<string, string | number> = {}) => {
    throw new InvalidInput(key, params, { password: key });
  };
  if ([...password].length < minPasswordLength) fail('password.tooShort', { count: minPasswordLength });
  if (password.length > maxPasswordLength) fail('password.tooLong', { max: maxPasswordLength });
  const lower = password.toLowerCase();
  if (common.has(lower) || /^(.)\1+$/.test(password)) fail('password.common');
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) fail('password.likeEmail');
}
