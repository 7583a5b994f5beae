import { z } from 'zod';
import { InvalidInput } from '../errors.js';
import { CLAUSE_KINDS, type Clause, type ClauseKind, type ClausePatch } from '../text/clauses.js';

/** The fields of the clause form; which are used depends on the kind. */
export const clauseFormSchema = z.strictObject({
  kind: z.enum(CLAUSE_KINDS, 'validation.choice'),
  version: z.string().regex(/^\d+$/, 'validation.invalid'),
  after: z.string().max(64).optional(),
  position: z.enum(['after', 'child']).optional(),
  heading: z.string().max(500, 'validation.tooLong').optional(),
  body: z.string().max(50_000, 'validation.tooLong').optional(),
  annex: z.enum(['', 'normative', 'informative'], 'validation.choice').optional(),
  unnumbered: z.enum(['on']).optional(),
  parameter: z.string().max(500, 'validation.tooLong').optional(),
  value: z.string().max(500, 'validation.tooLong').optional(),
  min: z.string().max(40).optional(),
  max: z.string().max(40).optional(),
  nominal: z.string().max(40).optional(),
  tolerance: z.string().max(40).optional(),
  unit: z.string().max(50, 'validation.tooLong').optional(),
  methodKey: z.string().max(64).optional(),
  caption: z.string().max(500, 'validation.tooLong').optional(),
  header: z.string().max(30_000, 'validation.tooLong').optional(),
  rows: z.string().max(2_000_000, 'validation.tooLong').optional(),
  termRu: z.string().max(300, 'validation.tooLong').optional(),
  termEn: z.string().max(300, 'validation.tooLong').optional(),
  definition: z.string().max(5000, 'validation.tooLong').optional(),
  designation: z.string().max(100, 'validation.tooLong').optional(),
  title: z.string().max(1000, 'validation.tooLong').optional(),
});
export type ClauseForm = z.infer<typeof clauseFormSchema>;

const clean = (s: string | undefined) => {
  const t = s?.trim();
  return t ? t : undefined;
};

/** A number as people type it here: «0,5» or «0.5», «−3» or «-3». */
function numberField(name: string, raw: string | undefined): number | undefined {
  const s = clean(raw)?.replace(',', '.').replace('−', '-').replace(/\s/g, '');
  if (s === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new InvalidInput('clauses.notANumber', { field: name }, { [name]: 'clauses.notANumber' });
  return Number(s);
}

/** Table rows: one row a line; cells separated by tabs (as pasted from a spreadsheet) or by « | ». */
export function parseCells(line: string): string[] {
  return (line.includes('\t') ? line.split('\t') : line.split('|')).map((c) => c.trim());
}

/** The stored content of a clause of this kind, from the form; fields of other kinds are dropped. */
export function clauseContentFromForm(f: ClauseForm): ClausePatch & { kind: ClauseKind } {
  const kind = f.kind;
  const out: ClausePatch & { kind: ClauseKind } = { kind };
  const heading = clean(f.heading);
  const body = f.body?.trim() ? f.body.replace(/\r\n?/g, '\n').trim() : undefined;
  switch (kind) {
    case 'section':
      out.heading = heading;
      out.body = body;
      if (f.annex) out.annex = f.annex;
      if (f.unnumbered) out.unnumbered = true;
      break;
    case 'text':
      out.heading = heading;
      out.body = body;
      break;
    case 'requirement':
      out.heading = heading;
      out.body = body;
      out.requirement = {
        parameter: clean(f.parameter) ?? '',
        value: clean(f.value),
        min: numberField('min', f.min),
        max: numberField('max', f.max),
        nominal: numberField('nominal', f.nominal),
        tolerance: numberField('tolerance', f.tolerance),
        unit: clean(f.unit),
        methodKey: clean(f.methodKey),
      };
      out.requirement = Object.fromEntries(Object.entries(out.requirement).filter(([, v]) => v !== undefined)) as Clause['requirement'];
      break;
    case 'note':
    case 'example':
    case 'bibliography':
      out.body = body;
      break;
    case 'table': {
      const header = clean(f.header) ? parseCells(clean(f.header)!) : [];
      const rows = (f.rows ?? '').replace(/\r\n?/g, '\n').split('\n').filter((l) => l.trim()).map(parseCells);
      out.table = { header, rows, ...(clean(f.caption) ? { caption: clean(f.caption) } : {}) };
      break;
    }
    case 'term':
      out.term = { ru: clean(f.termRu) ?? '', definition: clean(f.definition) ?? '', ...(clean(f.termEn) ? { en: clean(f.termEn) } : {}) };
      break;
    case 'reference':
      out.reference = { designation: clean(f.designation) ?? '', title: clean(f.title) ?? '' };
      break;
  }
  return out;
}

/** What an edit form shows for a stored clause. */
export function formValuesOf(c: Clause): Record<string, unknown> {
  const r = c.requirement;
  const num = (n: number | undefined) => (n === undefined ? '' : String(n).replace('.', ','));
  return {
    kind: c.kind,
    heading: c.heading ?? '',
    body: c.body ?? '',
    annex: c.annex ?? '',
    unnumbered: !!c.unnumbered,
    parameter: r?.parameter ?? '',
    value: r?.value ?? '',
    min: num(r?.min),
    max: num(r?.max),
    nominal: num(r?.nominal),
    tolerance: num(r?.tolerance),
    unit: r?.unit ?? '',
    methodKey: r?.methodKey ?? '',
    caption: c.table?.caption ?? '',
    header: c.table?.header.join(' | ') ?? '',
    rows: c.table?.rows.map((row) => row.join(' | ')).join('\n') ?? '',
    termRu: c.term?.ru ?? '',
    termEn: c.term?.en ?? '',
    definition: c.term?.definition ?? '',
    designation: c.reference?.designation ?? '',
    title: c.reference?.title ?? '',
  };
}

/** A patch that replaces every content field: the ones the kind does not use are cleared. */
export function fullPatch(content: ClausePatch & { kind: ClauseKind }): ClausePatch {
  const cleared: ClausePatch = { heading: undefined, body: undefined, annex: undefined, unnumbered: undefined, requirement: undefined, table: undefined, term: undefined, reference: undefined };
  return { ...cleared, ...content };
}
