// The words a comment table is read by: clause strings matched to derived numbers, types of comment,
// column headings (server/comments/import/), on the clauses of a template.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { clauseIndex } from '../../../server/comments/import/clause-match.js';
import { fieldOf, headerColumns } from '../../../server/comments/import/layout.js';
import { typeOf } from '../../../server/comments/import/rows.js';
import { cellText, fixedDecimals } from '../../../server/comments/import/xlsx-tables.js';
import type { Clause } from '../../../server/text/clauses.js';

const template = JSON.parse(readFileSync(new URL('../../../templates/general-technical-requirements.json', import.meta.url), 'utf8')) as { clauses: Clause[] };
const index = clauseIndex(template.clauses);
const matched = (s: string) => {
  const m = index.match(s);
  return m.kind === 'clause' ? m.key : m.kind;
};

describe('comment import: words', () => {
  it('matches clause strings by the derived numbers, tables, annexes and headings', () => {
    const cases: [string, string][] = [
      ['4.2.1', 'parameters-limits'], ['4.2.1.', 'parameters-limits'], ['п. 4.2.1', 'parameters-limits'], ['пункт 4.3.1', 'resistance-climatic'],
      ['Clause 4.2', 'parameters'], ['Раздел 5', 'safety'], ['4.2.1, перечисление б)', 'parameters-limits'], ['8.2 Средства измерений', 'methods-instruments'],
      ['Таблица 1', 'parameters-table'], ['табл. 1', 'parameters-table'], ['Table А.1', 'annex-traceability-table'], ['Таблица A.1', 'annex-traceability-table'],
      ['Приложение А', 'annex-traceability'], ['Annex A', 'annex-traceability'], ['А', 'annex-traceability'], ['А.1', 'annex-traceability-text'], ['A.1', 'annex-traceability-text'],
      ['Область применения', 'scope'], ['  область   применения ', 'scope'], ['Библиография', 'bibliography'],
      ['General', 'general'], ['Общие замечания', 'general'], ['общее', 'general'], ['Титульный лист', 'general'], ['', 'general'], ['—', 'general'],
      ['9.9', 'unknown'], ['Таблица 7', 'unknown'], ['Приложение Б', 'unknown'], ['Рисунок 1', 'unknown'], ['что-то другое', 'unknown'],
    ];
    assert.deepEqual(cases.map(([s]) => [s, matched(s)]), cases);
  });

  it('reads the type of comment from its first word, in English or Russian', () => {
    const cases: [string, string | undefined][] = [
      ['ge', 'ge'], ['TE', 'te'], ['ed.', 'ed'], ['ge (general)', 'ge'], ['Technical', 'te'], ['Editorial', 'ed'], ['general', 'ge'],
      ['общее', 'ge'], ['Техническое', 'te'], ['редакционное', 'ed'], ['редакционный', 'ed'], ['te/ed', 'te'],
      ['', undefined], ['важное', undefined], ['x', undefined], ['gе', undefined],
    ];
    assert.deepEqual(cases.map(([s]) => [s, typeOf(s)]), cases);
  });

  it('tells the columns by their headings, footnote digits and line breaks aside', () => {
    const cases: [string, string | undefined][] = [
      ['MB/NC1', 'mb'], ['Член (MB)/NC', 'mb'], ['MB/NC\nДелегация (MB/NC)', 'mb'], ['Member body', 'mb'],
      ['Line number', 'line'], ['Line number\n№ замечания', 'line'], ['№', 'number'], ['No.', 'number'], ['Comment ID', 'number'],
      ['Clause/ Subclause', 'clause'], ['Раздел, пункт', 'clause'], ['Clause nb', 'clause'],
      ['Paragraph/ Figure/ Table/', 'paragraph'], ['Абзац, рисунок, таблица', 'paragraph'],
      ['Type of comment2', 'type'], ['Тип комментария', 'type'], ['Вид замечания', 'type'], ['Subtype', 'type'],
      ['Comments', 'comment'], ['Замечание', 'comment'], ['Комментарии', 'comment'], ['Comment', 'comment'],
      ['Proposed change', 'proposed'], ['Предлагаемое изменение', 'proposed'],
      ['Observations of the secretariat', 'observations'], ['Замечания секретариата', 'observations'],
      ['Status', undefined], ['', undefined],
    ];
    assert.deepEqual(cases.map(([s]) => [s, fieldOf(s)]), cases);
    assert.equal(headerColumns(['Date', 'Document', 'Comments']), undefined, 'a comment column alone is no header of comments');
    assert.deepEqual([...headerColumns(['№', 'MB/NC', 'Clause', 'Type', 'Comments'])!], [['number', 0], ['mb', 1], ['clause', 2], ['type', 3], ['comment', 4]]);
  });

  it('writes a number as its cell’s format shows it where the format fixes the decimals', () => {
    const cases: [string, number | undefined][] = [['0.00', 2], ['#,##0.00', 2], ['0', 0], ['0.0;[Red]-0.0', 1], ['[$-419]0.000', 3], ['General', undefined], ['0.##', undefined], ['0.00%', undefined], ['DD.MM', undefined], ['0.00E+00', undefined], ['@', undefined], ['# ?/?', undefined]];
    assert.deepEqual(cases.map(([f]) => [f, fixedDecimals(f)]), cases);
    assert.equal(cellText(4.1, '0.00'), '4.10');
    assert.equal(cellText(4.1, 'General'), '4.1');
    assert.equal(cellText(4.1), '4.1');
    assert.equal(cellText(12, '0.0'), '12.0');
  });
});
