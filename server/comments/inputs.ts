import { z } from 'zod';
import { optionalText } from '../http/validate.js';
import { anchorKinds, commentTypes, decisions } from './model.js';

const commentText = z.string().trim().min(1, 'validation.required').max(10_000, 'comments.tooLong');
const optionalLong = z.string().trim().max(10_000, 'comments.tooLong').optional().transform((v) => (v === '' ? undefined : v));

export const commentBody = {
  type: z.enum(commentTypes, 'validation.choice'),
  text: commentText,
  proposedChange: optionalLong,
  anchorKind: z.enum(['', ...anchorKinds], 'validation.choice').optional().transform((v) => (v ? v : undefined)),
  anchorRef: optionalText(100),
  line: optionalText(40),
};
export const newCommentInput = z.strictObject({ clauseKey: z.string().trim().min(1, 'comments.chooseClause').max(64), ...commentBody });
export const editCommentInput = z.strictObject({ version: z.coerce.number().int().min(0), ...commentBody });
export const replyInput = z.strictObject({ text: commentText });
export const mergeInput = z.strictObject({ into: z.string().trim().min(1, 'comments.chooseMergeTarget').max(40) });
export const dispositionInput = z.strictObject({
  decision: z.enum(decisions, 'comments.chooseDecision'),
  reason: optionalLong,
  observation: optionalLong,
  appliedInRevision: z
    .union([z.literal(''), z.coerce.number().int().min(1)])
    .optional()
    .transform((v) => (v === '' || v === undefined ? undefined : v)),
});
export const summaryQuery = z.object({
  round: z.coerce.number().int().min(1).optional(),
  delegation: z.string().regex(/^[A-Z]{2,3}$/).optional(),
  type: z.enum(commentTypes).optional(),
  clause: z.string().max(64).optional(),
  disposition: z.enum([...decisions, 'none']).optional(),
  answer: z.enum(['agreed', 'disagreed', 'none']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});
export const answerInput = z.strictObject({
  comment: z.string().trim().max(40).optional(),
  // Absent when neither was chosen: the route asks for the choice in words of its own.
  agreed: z.enum(['yes', 'no']).optional(),
  reason: optionalLong,
});
/**
 * The bulk disposition form (docs/answers.md, "Bulk dispositions"): the comments chosen, each as
 * «id.stamp» — the time in milliseconds of the disposition it had when the page was read, 0 for none — and
 * the one disposition they all take.
 */
export const bulkChoice = z.string().regex(/^[0-9a-f]{24}\.\d{1,15}$/, 'comments.bulkChooseSome');
export const bulkDispositionInput = z.strictObject({
  ids: z.union([bulkChoice, z.array(bulkChoice).max(500, 'comments.bulkTooMany')]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  decision: z.enum(decisions, 'comments.chooseDecision'),
  reason: optionalLong,
  observation: optionalLong,
});
/** «id.stamp» as a bulk choice: the comment and the disposition time seen (null for none). */
export const choiceOf = (v: string) => {
  const [id, stamp] = v.split('.');
  return { id: id!, seen: stamp === '0' ? null : new Date(Number(stamp)) };
};
