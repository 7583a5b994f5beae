// Requirements as data: every requirement clause of a published revision as a row a manufacturer's
// quality system can import (CSV or JSON). Pure: clauses in, rows and bytes out.
import type { Clause } from '../text/clauses.js';
import { markupToPlainText, parseInline } from '../text/markup.js';
import { numberClauses } from '../text/numbering.js';
import { requirementValueText } from '../text/view-model.js';
import { CSV_BOM, csvRow } from '../common/spreadsheet.js';
import type { CountryStatus } from './country-status.js';
import type { CatalogueEntry } from './catalogue.js';

export interface RequirementRow {
  /** The clause number as printed («4.2.1»); empty inside an unnumbered section. */
  clause: string;
  /** The clause's stable key: the same requirement keeps it across revisions and amendments. */
  key: string;
  heading: string | null;
  parameter: string;
  /** A value given as text («по ГОСТ 15150», «IP54»), when the requirement has one. */
  value: string | null;
  min: number | null;
  max: number | null;
  nominal: number | null;
  tolerance: number | null;
  unit: string | null;
  /** The requirement as the standard prints it («от 4,5 до 5,5 В»). */
  text: { ru: string; en: string };
  /** The clause that gives the test method. */
  testMethod: { clause: string; key: string } | null;
}

const plain = (s: string) => markupToPlainText([{ type: 'paragraph', content: parseInline(s) }]);
const orNull = (n: number | undefined) => (n === undefined ? null : n);

export function requirementRows(clauses: readonly Clause[]): RequirementRow[] {
  const labels = numberClauses(clauses);
  const numberOf = (key: string) => labels.get(key)?.number ?? '';
  return clauses
    .filter((c): c is Clause & { requirement: NonNullable<Clause['requirement']> } => c.kind === 'requirement' && !!c.requirement)
    .map((c) => {
      const r = c.requirement;
      return {
        clause: numberOf(c.key),
        key: c.key,
        heading: c.heading ? plain(c.heading) : null,
        parameter: plain(r.parameter),
        value: r.value?.trim() ? plain(r.value) : null,
        min: orNull(r.min),
        max: orNull(r.max),
        nominal: orNull(r.nominal),
        tolerance: orNull(r.tolerance),
        unit: r.unit?.trim() ? plain(r.unit) : null,
        text: { ru: plain(requirementValueText(r, 'ru')), en: plain(requirementValueText(r, 'en')) },
        testMethod: r.methodKey && clauses.some((m) => m.key === r.methodKey) ? { clause: numberOf(r.methodKey), key: r.methodKey } : null,
      };
    });
}

const columns: { ru: string; en: string; of: (r: RequirementRow) => string | number | null; numeric?: boolean }[] = [
  { ru: 'Пункт', en: 'Clause', of: (r) => r.clause },
  { ru: 'Ключ пункта', en: 'Clause key', of: (r) => r.key },
  { ru: 'Параметр', en: 'Parameter', of: (r) => r.parameter },
  { ru: 'Значение', en: 'Value', of: (r) => r.value },
  { ru: 'Не менее', en: 'Min', of: (r) => r.min, numeric: true },
  { ru: 'Не более', en: 'Max', of: (r) => r.max, numeric: true },
  { ru: 'Номинал', en: 'Nominal', of: (r) => r.nominal, numeric: true },
  { ru: 'Допуск ±', en: 'Tolerance ±', of: (r) => r.tolerance, numeric: true },
  { ru: 'Единица', en: 'Unit', of: (r) => r.unit },
  { ru: 'Требование', en: 'Requirement as printed', of: (r) => r.text.ru },
  { ru: 'Метод испытаний (пункт)', en: 'Test method clause', of: (r) => r.testMethod?.clause ?? '' },
];

/** The requirements as CSV for a Russian-locale spreadsheet: «;» between fields, decimal commas (csvRow). */
export function requirementsCsv(rows: readonly RequirementRow[]): Buffer {
  const lines = [csvRow(columns.map((c) => `${c.ru} / ${c.en}`)), ...rows.map((r) => csvRow(columns.map((c) => c.of(r))))];
  return Buffer.concat([CSV_BOM, Buffer.from(lines.join(''), 'utf8')]);
}

/** The register as JSON; `statuses` is the standard's status in each country on the day it is asked for (country-status.ts). */
export function requirementsJson(entry: CatalogueEntry, rows: readonly RequirementRow[], origin: string, statuses: readonly CountryStatus[]) {
  return {
    document: {
      id: entry.id,
      designation: entry.designation,
      titles: entry.titles,
      productGroup: entry.productGroup,
      ics: entry.ics,
      status: entry.status,
      revision: entry.revision,
      publishedAt: entry.publishedAt.toISOString(),
      entryIntoForce: Object.fromEntries(entry.entryIntoForce.map((e) => [e.country, e.date])),
      statusByCountry: Object.fromEntries(statuses.map((s) => [s.country, { status: s.kind, date: s.date, until: s.until ?? null, replacedBy: s.by ?? null }])),
      supersededBy: entry.supersededBy ? `${origin}/catalogue/${entry.supersededBy}` : null,
      url: `${origin}/catalogue/${entry.id}`,
      pdf: { url: `${origin}/catalogue/${entry.id}/pdf`, sha256: entry.file?.sha256 ?? null, size: entry.file?.size ?? null },
    },
    requirements: rows,
  };
}
