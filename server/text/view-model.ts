import type { Locale } from '../i18n/index.js';
import type { Clause, ClauseRequirement } from './clauses.js';
import { markupToHtml, parseInline, parseMarkup, type RefResolver } from './markup.js';
import { numberClauses, resolveCrossReferences, type Label } from './numbering.js';

/** One clause as pages show it: numbers derived, text already rendered to safe HTML. */
export interface ClauseView {
  key: string;
  depth: number;
  kind: Clause['kind'];
  label?: string;
  annexStatus?: string;
  heading?: string;
  bodyHtml?: string;
  requirement?: { parameter: string; valueHtml: string; methodLabel?: string; methodKey?: string };
  table?: { label?: string; captionHtml?: string; header: string[]; rows: string[][] };
  term?: { ru: string; en?: string; definitionHtml: string };
  reference?: { designation: string; title: string };
}

/** Inline markup only (for table cells, units and captions): one paragraph's content without the <p>. */
export function inlineHtml(text: string, resolve: RefResolver): string {
  return markupToHtml([{ type: 'paragraph', content: parseInline(text) }], resolve).replace(/^<p>|<\/p>$/g, '');
}

/**
 * A number as standards print it (GOST 1.5, GOST 8.417): the minus sign, not a hyphen; digits grouped in
 * threes only from five digits on («2000», «100 000»).
 */
export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: 6, useGrouping: 'min2' }).format(n).replace(/^-/, '−');
}

/** Plane-angle units stand right after the number («25″»); every other unit after a space («25 °С»). */
const UNSPACED_UNITS = new Set(['°', '′', '″']);

const words = {
  ru: { from: 'от', to: 'до', atLeast: 'не менее', atMost: 'не более' },
  en: { from: 'from', to: 'to', atLeast: 'at least', atMost: 'at most' },
} as const;

/**
 * The value of a requirement as it is read aloud: «от 4,5 до 5,5 В», «не менее 10 мс», «(5,0 ± 0,1) мм»
 * (a value with its tolerance is bracketed before the unit, GOST 8.417).
 */
export function requirementValueText(r: ClauseRequirement, locale: Locale): string {
  const w = words[locale];
  const num = (n: number) => formatNumber(n, locale);
  const unit = r.unit ? `${UNSPACED_UNITS.has(r.unit) ? '' : ' '}${r.unit}` : '';
  if (r.nominal !== undefined && r.tolerance !== undefined) {
    const value = `${num(r.nominal)} ± ${num(r.tolerance)}`;
    return unit ? `(${value})${unit}` : value;
  }
  if (r.nominal !== undefined) return `${num(r.nominal)}${unit}`;
  if (r.min !== undefined && r.max !== undefined) return `${w.from} ${num(r.min)} ${w.to} ${num(r.max)}${unit}`;
  if (r.min !== undefined) return `${w.atLeast} ${num(r.min)}${unit}`;
  if (r.max !== undefined) return `${w.atMost} ${num(r.max)}${unit}`;
  return `${r.value ?? ''}${unit}`;
}

export function revisionView(clauses: readonly Clause[], locale: Locale, labels: Map<string, Label> = numberClauses(clauses)): ClauseView[] {
  const resolve = resolveCrossReferences(clauses, locale, labels);
  return clauses.map((c) => {
    const label = labels.get(c.key);
    const v: ClauseView = { key: c.key, depth: c.depth, kind: c.kind, label: label?.text[locale], annexStatus: label?.annexStatus?.[locale], heading: c.heading };
    if (c.body) v.bodyHtml = markupToHtml(parseMarkup(c.body), resolve);
    if (c.requirement) {
      const r = c.requirement;
      v.requirement = {
        parameter: r.parameter,
        valueHtml: inlineHtml(requirementValueText(r, locale), resolve),
        methodKey: r.methodKey,
        methodLabel: r.methodKey ? resolve(r.methodKey) ?? '?' : undefined,
      };
    }
    if (c.table) {
      v.table = {
        label: label?.text[locale],
        captionHtml: c.table.caption ? inlineHtml(c.table.caption, resolve) : undefined,
        header: c.table.header.map((h) => inlineHtml(h, resolve)),
        rows: c.table.rows.map((row) => row.map((cell) => inlineHtml(cell, resolve))),
      };
    }
    if (c.term) v.term = { ru: c.term.ru, en: c.term.en, definitionHtml: inlineHtml(c.term.definition, resolve) };
    if (c.reference) v.reference = c.reference;
    return v;
  });
}
