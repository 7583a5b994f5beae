// Document templates: one JSON file per kind of document in templates/ (format: templates/README.md).
// A new kind is a new file; nothing here names a kind. Parsing is pure (parseTemplate); only
// loadTemplates touches the disk.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { clauseSchema, danglingReferences, validateClauses, type Clause } from '../text/clauses.js';

const localized = z.strictObject({ ru: z.string().trim().min(1), en: z.string().trim().min(1) });

/** English versions of a template clause's texts, used when a document is started in English. */
const englishSchema = z.strictObject({
  heading: z.string().optional(),
  body: z.string().optional(),
  caption: z.string().optional(),
  header: z.array(z.string()).optional(),
  title: z.string().optional(),
  definition: z.string().optional(),
});

export const templateClauseSchema = z.strictObject({
  ...clauseSchema.shape,
  /** The clause cannot be removed from a document of this kind. */
  mandatory: z.boolean().optional(),
  /** Advice for the author, shown in the editor, never printed. */
  guidance: localized.optional(),
  en: englishSchema.optional(),
});

export const templateSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  version: z.number().int().min(1),
  names: localized,
  /** Ends the document title: «Микросхемы интегральные. Общие технические требования». */
  titleSuffix: localized,
  description: localized,
  /** Products the kind is typically used for, as a hint when creating a document. */
  examples: z.array(localized),
  clauses: z.array(templateClauseSchema).min(1),
});

export type Template = z.infer<typeof templateSchema>;
export type TemplateClause = z.infer<typeof templateClauseSchema>;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(readonly source: string, readonly problems: string[]) {
    super(`${source}: ${problems.join('; ')}`);
  }
}

/** The clauses a new document starts with, in the chosen language; template keys are kept. */
export function clausesFromTemplate(template: Template, lang: 'ru' | 'en' = 'ru'): Clause[] {
  return template.clauses.map(({ mandatory: _m, guidance: _g, en, ...clause }) => {
    if (lang === 'ru' || !en) return clause;
    const out: Clause = { ...clause };
    if (en.heading !== undefined) out.heading = en.heading;
    if (en.body !== undefined) out.body = en.body;
    if (out.table) out.table = { ...out.table, caption: en.caption ?? out.table.caption, header: en.header ?? out.table.header };
    if (out.reference && en.title !== undefined) out.reference = { ...out.reference, title: en.title };
    if (out.term && en.definition !== undefined) out.term = { ...out.term, definition: en.definition };
    return out;
  });
}

/** Keys of the template's mandatory clauses that are missing from a revision. */
export function missingMandatoryClauses(template: Template, clauses: readonly Clause[]): string[] {
  const present = new Set(clauses.map((c) => c.key));
  return template.clauses.filter((c) => c.mandatory && !present.has(c.key)).map((c) => c.key);
}

/** Validates one template file's content; `source` names it in the error. */
export function parseTemplate(data: unknown, source = 'template'): Template {
  const parsed = templateSchema.safeParse(data);
  if (!parsed.success) {
    throw new TemplateError(source, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const template = parsed.data;
  const problems: string[] = [];
  for (const lang of ['ru', 'en'] as const) {
    const clauses = clausesFromTemplate(template, lang);
    for (const i of validateClauses(clauses)) problems.push(`${lang} clause ${i.key}: ${i.message}`);
    for (const d of danglingReferences(clauses)) problems.push(`clause ${d.fromKey}: reference to unknown key ${d.toKey}`);
  }
  // Removing a clause removes its subtree, so a mandatory clause needs mandatory ancestors.
  const open: TemplateClause[] = [];
  for (const c of template.clauses) {
    open.length = Math.min(open.length, c.depth);
    const parent = open[open.length - 1];
    if (c.mandatory && parent && !parent.mandatory) problems.push(`clause ${c.key}: mandatory inside optional ${parent.key}`);
    open.push(c);
  }
  if (problems.length) throw new TemplateError(source, [...new Set(problems)]);
  return template;
}

/** Reads every *.json in dir (sorted by file name) and validates each; template ids must be unique. */
export async function loadTemplates(dir: string): Promise<Template[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const templates: Template[] = [];
  for (const file of files) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(join(dir, file), 'utf8'));
    } catch (err) {
      throw new TemplateError(file, [`not valid JSON: ${(err as Error).message}`]);
    }
    const template = parseTemplate(data, file);
    const clash = templates.find((t) => t.id === template.id);
    if (clash) throw new TemplateError(file, [`id "${template.id}" is already used by another template`]);
    templates.push(template);
  }
  return templates;
}

/** The repository's templates/ folder. */
export const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));
