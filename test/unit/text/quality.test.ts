import assert from 'node:assert/strict';
import type { Clause } from '../../../server/text/clauses.js';
import { checkQuality, severityOf } from '../../../server/text/quality.js';

const section = (key: string, heading: string, extra: Partial<Clause> = {}): Clause => ({ key, kind: 'section', depth: 0, heading, ...extra });
const text = (key: string, body: string, depth = 1): Clause => ({ key, kind: 'text', depth, body });

describe('the quality check of a text', () => {
  it('finds the blanks a template leaves, with the words around them', () => {
    const found = checkQuality([
      section('scope', 'Область применения', { body: 'Настоящий стандарт распространяется на … (далее — изделия).' }),
      section('transport', 'Транспортирование', { body: 'Условия хранения — по группе … ГОСТ 15150.' }),
      section('warranty', 'Гарантии', { body: 'Гарантийный срок — ... мес со дня ввода.' }),
      // The standard's own designation is given at publication: not a blank of the drafter's.
      section('example', 'Пример записи', { body: 'Станок лазерный ЛРС-3015-6 СТ СГ …' }),
    ]);
    assert.deepEqual(found.map((f) => [f.key, f.code, f.excerpt]), [
      ['scope', 'placeholder', 'на … (далее'],
      ['transport', 'placeholder', 'группе … ГОСТ'],
      ['warranty', 'placeholder', '— ... мес'],
    ]);
  });

  it('finds empty sections, annexes, tables, terms and bibliography, and requirements without a test method', () => {
    const found = checkQuality([
      section('empty', 'Упаковка'),
      section('terms', 'Термины и определения'),
      section('req', 'Требования', { body: 'Изделия должны соответствовать требованиям настоящего стандарта.' }),
      { key: 'voltage', kind: 'requirement', depth: 1, requirement: { parameter: 'Напряжение питания', nominal: 5, unit: 'В' } },
      { key: 'tab', kind: 'table', depth: 1, table: { caption: 'Параметры', header: ['Параметр', 'Норма'], rows: [] } },
      section('annex', 'Методика', { annex: 'informative' }),
      section('bib', 'Библиография'),
    ]);
    assert.deepEqual(found.map((f) => [f.key, f.code]), [
      ['empty', 'emptySection'], ['terms', 'emptyTerms'], ['voltage', 'noTestMethod'], ['tab', 'emptyTable'], ['annex', 'emptyAnnex'], ['bib', 'emptyBibliography'],
    ]);
  });

  it('finds nothing in a finished text', () => {
    assert.deepEqual(checkQuality([
      section('scope', 'Область применения', { body: 'Настоящий стандарт распространяется на микросхемы.' }),
      section('terms', 'Термины и определения', { body: 'В настоящем стандарте применены термины по ГОСТ 17021.' }),
      section('req', 'Требования'),
      text('req-general', 'Микросхемы изготавливают по конструкторской документации.'),
      { key: 'voltage', kind: 'requirement', depth: 1, requirement: { parameter: 'Напряжение питания', nominal: 5, unit: 'В', methodKey: 'methods' } },
      { key: 'tab', kind: 'table', depth: 1, table: { header: ['Параметр', 'Норма'], rows: [['U, В', '5,0']] } },
      section('methods', 'Методы контроля', { body: 'Напряжение измеряют вольтметром.' }),
      section('bib', 'Библиография'),
      { key: 'b1', kind: 'bibliography', depth: 1, body: 'ISO 80000-1:2022' },
    ]), []);
  });

  it('lets a draft go out for comments unfinished if accepted, never a ballot or a publication', () => {
    assert.equal(severityOf('placeholder', 'circulate'), 'warning');
    assert.equal(severityOf('placeholder', 'openBallot'), 'error');
    assert.equal(severityOf('emptyTable', 'publish'), 'error');
    assert.equal(severityOf('noTestMethod', 'openBallot'), 'warning');
  });
});
