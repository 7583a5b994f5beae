import assert from 'node:assert/strict';
import type { Clause } from '../../../server/text/clauses.js';
import { comparisonView } from '../../../server/text/compare-view.js';
import type { DocumentRecord, RevisionRecord } from '../../../server/documents/model.js';
import { compareRevisions } from '../../../server/text/redline.js';
import { requirementValueText } from '../../../server/text/view-model.js';

describe('values as standards print them', () => {
  const value = (r: Parameters<typeof requirementValueText>[0]) => requirementValueText(r, 'ru');

  it('writes negative numbers with the minus sign and groups digits from five on', () => {
    assert.equal(value({ parameter: 'Рабочий диапазон температур', min: -60, max: 125, unit: '°С' }), 'от −60 до 125 °С');
    assert.equal(value({ parameter: 'Наработка до отказа', min: 100000, unit: 'ч' }), 'не менее 100\u00a0000 ч'); // a no-break space: the number never splits across lines
    assert.equal(value({ parameter: 'Напряжение ЭСР', min: 2000, unit: 'В' }), 'не менее 2000 В');
  });

  it('brackets a value with its tolerance before the unit (GOST 8.417)', () => {
    assert.equal(value({ parameter: 'Температура припоя', nominal: 260, tolerance: 5, unit: '°С' }), '(260 ± 5) °С');
    assert.equal(value({ parameter: 'Коэффициент', nominal: 1.5, tolerance: 0.1 }), '1,5 ± 0,1');
    assert.equal(value({ parameter: 'Длина', nominal: 100, unit: 'мм' }), '100 мм');
  });

  it('puts plane-angle units right after the number', () => {
    assert.equal(value({ parameter: 'Кинематическая погрешность', max: 25, unit: '″' }), 'не более 25″');
    assert.equal(value({ parameter: 'Угол', nominal: 15, unit: '°' }), '15°');
  });
});

describe('redline page: what the reader sees', () => {
  const one: Clause[] = [
    { key: 's', depth: 0, kind: 'section', heading: 'Требования' },
    { key: 'a', depth: 1, kind: 'text', body: 'Первое требование.' },
    { key: 'b', depth: 1, kind: 'requirement', requirement: { parameter: 'Точность', max: 0.05, unit: 'мм', methodKey: 'm' } },
    { key: 'm', depth: 1, kind: 'text', body: 'Метод.' },
    { key: 't', depth: 1, kind: 'table', table: { header: ['Проверка', 'Пункт'], rows: [['Точность', '[[ref:b]]']] } },
  ];
  const two: Clause[] = [
    one[0]!,
    { key: 'n', depth: 1, kind: 'text', body: 'Новое требование U_{и.п}.' },
    ...one.slice(1, 4).map((c) => (c.key === 'b' ? { ...c, requirement: { ...c.requirement!, max: 0.04 } } : c)),
    { key: 't', depth: 1, kind: 'table', table: { header: ['Проверка', 'Пункт'], rows: [['Точность', '[[ref:b]], [[ref:n]]']] } },
  ];
  const view = comparisonView({
    doc: { _id: 'd', titles: { ru: 'Документ', en: 'Document' }, currentRevision: 2 } as unknown as DocumentRecord,
    comparison: compareRevisions(one, two),
    from: { number: 1 } as RevisionRecord,
    to: { number: 2 } as RevisionRecord,
  }, 'ru');
  const row = (key: string) => view.rows.find((r) => r.key === key)!;
  const shown = (key: string) => row(key).fields.map((f) => f.runs.map((r) => (r.kind === 'equal' ? r.text : `${r.kind === 'insert' ? '+' : '-'}[${r.text}]`)).join('')).join(' | ');

  it('shows cross-references as each revision’s clause numbers, never as keys', () => {
    assert.equal(shown('t'), '-[1.2]+[1.3, 1.1]');
    assert.doesNotMatch(JSON.stringify(view.rows), /\[\[ref:/);
  });

  it('shows limits with the decimal comma and sub/superscripts as characters', () => {
    assert.equal(shown('b'), '-[0,05]+[0,04]');
    assert.match(row('n').text!, /U_\(и\.п\)|Uи\.п|U₍/);
  });
});
