// An amendment's changes to the clauses of a published standard (docs/amendments.md): what the
// amendment's text does to the standard, clause key by clause key — replace a clause, add a clause after
// a given one, delete a clause — and the consolidated text those changes give. Pure: the same two texts
// always give the same changes, in the standard's order.
import type { Clause } from './clauses.js';
import { markupToPlainText, parseMarkup } from './markup.js';
import { numberClauses, resolveCrossReferences } from './numbering.js';
import { requirementValueText } from './view-model.js';

export type AmendmentChange =
  | { type: 'replace'; key: string; label: string; clause: Clause; before: Clause }
  | { type: 'add'; key: string; label: string; clause: Clause; after: string | null; afterLabel?: string }
  | { type: 'delete'; key: string; label: string; before: Clause };

/** A clause's content without its key: two clauses are the same when this is. */
const content = (c: Clause) => JSON.stringify({ ...c, key: undefined });

/**
 * The changes that turn `base` (the standard's published clauses) into `amended` (the amendment's text),
 * by clause key. A clause in both whose content differs is replaced; one only in the amendment is added
 * after the clause before it there; one only in the standard is deleted. Labels are the numbers printed:
 * the standard's for a replaced or deleted clause, the amended text's for an added one.
 */
export function amendmentChanges(base: readonly Clause[], amended: readonly Clause[]): AmendmentChange[] {
  const baseLabels = numberClauses(base);
  const newLabels = numberClauses(amended);
  const inBase = new Map(base.map((c) => [c.key, c]));
  const inAmended = new Set(amended.map((c) => c.key));
  const label = (labels: typeof baseLabels, c: Clause) => labels.get(c.key)?.text.ru || c.heading || c.key;
  const changes: AmendmentChange[] = [];
  amended.forEach((c, i) => {
    const before = inBase.get(c.key);
    if (before) {
      if (content(before) !== content(c)) changes.push({ type: 'replace', key: c.key, label: label(baseLabels, before), clause: c, before });
      return;
    }
    const previous = i > 0 ? amended[i - 1]! : undefined;
    changes.push({ type: 'add', key: c.key, label: label(newLabels, c), clause: c, after: previous?.key ?? null, afterLabel: previous ? label(newLabels, previous) : undefined });
  });
  for (const c of base) if (!inAmended.has(c.key)) changes.push({ type: 'delete', key: c.key, label: label(baseLabels, c), before: c });
  return changes;
}

/** The consolidated text: the standard's clauses with exactly the amendment's changes applied. */
export function consolidate(base: readonly Clause[], changes: readonly AmendmentChange[]): Clause[] {
  const deleted = new Set(changes.filter((c) => c.type === 'delete').map((c) => c.key));
  const replaced = new Map(changes.flatMap((c) => (c.type === 'replace' ? [[c.key, c.clause] as const] : [])));
  const out = base.filter((c) => !deleted.has(c.key)).map((c) => replaced.get(c.key) ?? c);
  for (const add of changes) {
    if (add.type !== 'add') continue;
    const at = add.after === null ? 0 : out.findIndex((c) => c.key === add.after) + 1;
    out.splice(at > 0 || add.after === null ? at : out.length, 0, add.clause);
  }
  return out;
}

/** A clause as plain lines, the way an amendment quotes it: heading, text, requirement, table, term. */
export function clausePlainText(clause: Clause, text: readonly Clause[]): string[] {
  const resolve = resolveCrossReferences(text, 'ru');
  const lines: string[] = [];
  if (clause.heading) lines.push(clause.heading);
  if (clause.term) lines.push(`${clause.term.ru}${clause.term.en ? ` (${clause.term.en})` : ''}: ${markupToPlainText(parseMarkup(clause.term.definition), resolve)}`);
  if (clause.requirement) lines.push(`${clause.requirement.parameter}: ${requirementValueText(clause.requirement, 'ru')}`);
  if (clause.body) lines.push(...markupToPlainText(parseMarkup(clause.body), resolve).split('\n'));
  if (clause.table) {
    if (clause.table.caption) lines.push(clause.table.caption);
    lines.push(clause.table.header.join(' | '), ...clause.table.rows.map((r) => r.join(' | ')));
  }
  if (clause.reference) lines.push(`${clause.reference.designation} ${clause.reference.title}`);
  return lines.filter((l) => l.trim());
}

/** «Пункт 4.1», «Раздел 4», «Таблица 1», «Приложение А»: how the amendment names what it changes. */
function named(label: string, clause: Clause): string {
  if (!/^\d/.test(label)) return label;
  return clause.depth === 0 && clause.kind === 'section' ? `Раздел ${label}` : `Пункт ${label}`;
}

/** «пунктом 4.3», «разделом 6», «таблицей 2», «приложением Б»: the instrumental case after «Дополнить». */
function instrumental(label: string, clause: Clause): string {
  if (/^\d/.test(label)) return clause.depth === 0 && clause.kind === 'section' ? `разделом ${label}` : `пунктом ${label}`;
  return label.replace(/^Таблица/, 'таблицей').replace(/^Приложение/, 'приложением').replace(/^Примечание/, 'примечанием').replace(/^Пример/, 'примером');
}

/** The instruction GOST 1.5 words each change with: «Пункт 4.1 изложить в новой редакции:», «Дополнить пунктом 4.3:», «Пункт 5.2 исключить.». */
export function changeInstruction(change: AmendmentChange): string {
  if (change.type === 'replace') return `${named(change.label, change.clause)} изложить в новой редакции:`;
  if (change.type === 'add') return `Дополнить ${instrumental(change.label, change.clause)}:`;
  return `${named(change.label, change.before)} исключить.`;
}
