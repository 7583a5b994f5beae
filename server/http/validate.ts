import { z } from 'zod';
import { BadRequest, InvalidInput } from '../errors.js';
import { hasKey } from '../i18n/index.js';

/** Text fields are trimmed; an empty string counts as missing. */
// At least one character that is neither white space nor removed at the boundary (server/http/clean-text.ts):
// stated so that the OpenAPI document says what the server accepts.
const VISIBLE = /[^\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
export const text = (max: number) => z.string().trim().min(1, 'validation.required').max(max, 'validation.tooLong').regex(VISIBLE, 'validation.required');
export const optionalText = (max: number) =>
  z.string().trim().max(max, 'validation.tooLong').optional().transform((v) => (v === '' ? undefined : v));
export const email = z.string().trim().max(254, 'validation.tooLong').pipe(z.email('validation.email'));
export const checkbox = z.enum(['on', 'true', '1']).optional().transform((v) => v !== undefined);

function keyFor(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'validation.unknownField';
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'validation.required' : 'validation.notText';
  if (issue.code === 'invalid_value') return 'validation.choice';
  // A schema may name its own message by locale key (e.g. 'documents.icsFormat').
  if (issue.message && hasKey(issue.message)) return issue.message;
  return 'validation.invalid';
}

/**
 * Validates a request body against a strict zod object: anything but the expected plain fields —
 * unknown fields, objects where text is expected (operator injection) — is refused with field errors.
 */
export function parseInput<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('validation.notAnObject');
  const { _csrf, ...rest } = body as Record<string, unknown>;
  void _csrf;
  // Without the input in its issues zod cannot tell a missing field from one sent as an object.
  const r = schema.safeParse(rest, { reportInput: true });
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) fields[k] ??= 'validation.unknownField';
    else fields[issue.path.join('.') || '_'] ??= keyFor(issue);
  }
  const first = Object.entries(fields)[0];
  // A form has no place to mark a field it does not know, so the message names it.
  const unknown = Object.keys(fields).filter((f) => fields[f] === 'validation.unknownField');
  if (unknown.length > 0) throw new InvalidInput('validation.unknownFields', { field: first?.[0] ?? '', fields: unknown.join(', ') }, fields);
  throw new InvalidInput('validation.failed', { field: first?.[0] ?? '' }, fields);
}
