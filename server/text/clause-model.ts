// What a clause is: its kinds, the shape of each field (zod schemas), and the error the clause
// operations throw (clauses.ts gathers the clause model's public names).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const CLAUSE_KINDS = [
  'section', 'text', 'requirement', 'note', 'example', 'table', 'term', 'reference', 'bibliography',
] as const;
export type ClauseKind = (typeof CLAUSE_KINDS)[number];

/** Kinds that may contain other clauses; the rest are leaves. */
export const CONTAINER_KINDS: ReadonlySet<ClauseKind> = new Set(['section', 'text', 'requirement']);
/** Keys are url-safe so they can sit in URLs, element ids and the [[ref:KEY]] markup. */
export const CLAUSE_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_ANNEXES = 25;

const plain = (max: number) => z.string().max(max);

export const requirementSchema = z.object({
  parameter: plain(500),
  value: plain(500).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  nominal: z.number().optional(),
  tolerance: z.number().min(0).optional(),
  unit: plain(50).optional(),
  methodKey: z.string().regex(CLAUSE_KEY_PATTERN).optional(),
});

export const tableSchema = z.object({
  caption: plain(500).optional(),
  header: z.array(plain(1000)).max(30),
  rows: z.array(z.array(plain(2000)).max(30)).max(1000),
});

export const termSchema = z.object({ ru: plain(300), en: plain(300).optional(), definition: plain(5000) });
export const referenceSchema = z.object({ designation: plain(100), title: plain(1000) });

/** Shape only; the rules between fields and between clauses are in validateClauses. */
export const clauseSchema = z.object({
  key: z.string().regex(CLAUSE_KEY_PATTERN),
  depth: z.number().int().min(0).max(20),
  kind: z.enum(CLAUSE_KINDS),
  heading: plain(500).optional(),
  body: plain(50_000).optional(),
  annex: z.enum(['normative', 'informative']).optional(),
  unnumbered: z.boolean().optional(),
  requirement: requirementSchema.optional(),
  table: tableSchema.optional(),
  term: termSchema.optional(),
  reference: referenceSchema.optional(),
});

export type Clause = z.infer<typeof clauseSchema>;
export type ClauseRequirement = z.infer<typeof requirementSchema>;
export type ClauseTable = z.infer<typeof tableSchema>;
/** Everything an edit form may change: key and depth change only through the tree operations. */
export type ClausePatch = Partial<Omit<Clause, 'key' | 'depth'>>;

export const clauseIssueCodes = [
  'invalidKey', 'duplicateKey', 'invalidDepth', 'parentIsLeaf', 'missingField', 'fieldNotAllowed',
  'invalidRange', 'invalidTable', 'annexNotTopLevel', 'annexOrder', 'tooManyAnnexes',
] as const;
export type ClauseIssueCode = (typeof clauseIssueCodes)[number];

/** What is wrong with a clause; `params` fill the sentence a person reads (a table row's cell counts). */
export interface ClauseIssue { index: number; key: string; code: ClauseIssueCode; field?: string; message: string; params?: Record<string, number> }

export const clauseErrorCodes = ['notFound', 'duplicateKey', 'invalidDepth', 'parentIsLeaf', 'noPreviousSibling', 'noNextSibling', 'alreadyTopLevel', 'invalidResult'] as const;
export type ClauseErrorCode = (typeof clauseErrorCodes)[number];

export class ClauseOperationError extends Error {
  override readonly name = 'ClauseOperationError';
  constructor(readonly code: ClauseErrorCode, message: string, readonly issues: ClauseIssue[] = []) {
    super(message);
  }
}

export function newClauseKey(): string {
  // 12 characters, 72 random bits, never starting with '-': a key that did would be quoted as a formula
  // in a spreadsheet export (server/common/spreadsheet.ts) and no longer read back as the same key.
  for (;;) {
    const key = randomBytes(9).toString('base64url');
    if (key[0] !== '-') return key;
  }
}

export const isContainer = (kind: ClauseKind): boolean => CONTAINER_KINDS.has(kind);
