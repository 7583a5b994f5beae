import assert from 'node:assert/strict';
import fc from 'fast-check';
import { moveDown, parentIndex, type Clause } from '../../../server/text/clauses.js';
import { markupToHtml, parseMarkup } from '../../../server/text/markup.js';
import {
  annexLetter, NumberingError, numberClauses, resolveCrossReferences,
} from '../../../server/text/numbering.js';
import { GOST_LETTERS } from '../../../server/text/letters.js';
import { clausesArb } from './arbitraries.js';

const c = (key: string, depth: number, kind: Clause['kind'], extra: Partial<Clause> = {}): Clause => {
  const base: Clause = { key, depth, kind };
  if (kind === 'section') base.heading = key;
  else if (kind === 'table') base.table = { header: ['a'], rows: [] };
  else if (kind === 'term') base.term = { ru: key, definition: 'определение' };
  else if (kind === 'reference') base.reference = { designation: 'ГОСТ 15150', title: 'Машины' };
  else if (kind === 'requirement') base.requirement = { parameter: 'Масса', max: 10, unit: 'кг' };
  else base.body = 'текст';
  return { ...base, ...extra };
};

const doc: Clause[] = [
  c('intro', 0, 'section', { unnumbered: true, heading: 'Введение' }),
  c('intro-text', 1, 'text'),
  c('s1', 0, 'section'),
  c('t1', 1, 'text'),
  c('n1', 2, 'note'),
  c('t2', 1, 'requirement'),
  c('n2', 2, 'note'),
  c('n3', 2, 'note'),
  c('e1', 2, 'example'),
  c('tb1', 2, 'table'),
  c('s2', 0, 'section'),
  c('ref', 1, 'reference'),
  c('term', 1, 'term'),
  c('tb2', 1, 'table'),
  c('annexA', 0, 'section', { annex: 'normative' }),
  c('a1', 1, 'text'),
  c('a11', 2, 'text'),
  c('tbA1', 1, 'table'),
  c('tbA2', 1, 'table'),
  c('annexB', 0, 'section', { annex: 'informative' }),
  c('b1', 1, 'section'),
  c('tbB1', 2, 'table'),
  c('bib', 0, 'section', { unnumbered: true, heading: 'Библиография' }),
  c('bib1', 1, 'bibliography'),
  c('bib2', 1, 'bibliography'),
];

describe('numbering', () => {
  const labels = numberClauses(doc);
  const ru = (key: string) => labels.get(key)?.text.ru;

  const expected: Array<[string, string | undefined]> = [
    ['intro', undefined], ['intro-text', undefined], ['s1', '1'], ['t1', '1.1'], ['n1', 'Примечание'],
    ['t2', '1.2'], ['n2', 'Примечание 1'], ['n3', 'Примечание 2'], ['e1', 'Пример'], ['tb1', 'Таблица 1'],
    ['s2', '2'], ['ref', undefined], ['term', '2.1'], ['tb2', 'Таблица 2'],
    ['annexA', 'Приложение А'], ['a1', 'А.1'], ['a11', 'А.1.1'], ['tbA1', 'Таблица А.1'], ['tbA2', 'Таблица А.2'],
    ['annexB', 'Приложение Б'], ['b1', 'Б.1'], ['tbB1', 'Таблица Б.1'],
    ['bib', undefined], ['bib1', '[1]'], ['bib2', '[2]'],
  ];
  for (const [key, label] of expected) {
    it(`labels ${key} as ${label ?? 'nothing'}`, () => assert.equal(ru(key), label));
  }

  it('gives English labels with the same GOST letters', () => {
    assert.deepEqual(labels.get('annexB')?.text, { ru: 'Приложение Б', en: 'Annex Б' });
    assert.deepEqual(labels.get('annexB')?.annexStatus, { ru: '(справочное)', en: '(informative)' });
    assert.deepEqual(labels.get('annexA')?.annexStatus, { ru: '(обязательное)', en: '(normative)' });
    assert.equal(labels.get('n3')?.text.en, 'Note 2');
    assert.equal(labels.get('tbA2')?.text.en, 'Table А.2');
  });

  it('says whose note a cross-reference points to', () => {
    assert.deepEqual(labels.get('n3')?.ref, { ru: '2 к 1.2', en: '2 to 1.2' });
    assert.deepEqual(labels.get('n1')?.ref, { ru: 'к 1.1', en: 'to 1.1' });
  });

  it('letters annexes in the GOST 1.5 sequence without Ё З Й О Ч Ь Ы Ъ', () => {
    assert.equal(GOST_LETTERS.join(''), 'АБВГДЕЖИКЛМНПРСТУФХЦШЩЭЮЯ');
    for (const skipped of 'ЁЗЙОЧЬЫЪ') assert.ok(!GOST_LETTERS.includes(skipped as never));
    assert.equal(annexLetter(7), 'И');
    assert.equal(annexLetter(24), 'Я');
  });

  it('refuses a 26th annex with a clear error', () => {
    const annexes = Array.from({ length: 26 }, (_, i) => c(`x${i}`, 0, 'section', { annex: 'informative' }));
    assert.equal(numberClauses(annexes.slice(0, 25)).get('x24')?.number, 'Я');
    assert.throws(() => numberClauses(annexes), (e: unknown) => e instanceof NumberingError && /25 annexes/.test(e.message));
  });

  it('renumbers by position, so moving a section renumbers it and its subtree', () => {
    const moved = numberClauses(moveDown(doc, 's1'));
    assert.equal(moved.get('s2')?.number, '1');
    assert.equal(moved.get('s1')?.number, '2');
    assert.equal(moved.get('t2')?.number, '2.2');
  });

  it('resolves cross-references in markup to current numbers, headings for unnumbered sections', () => {
    const resolve = resolveCrossReferences(doc, 'ru', labels);
    const html = markupToHtml(parseMarkup('по [[ref:t2]], в таблице [[ref:tbA1]], см. [[ref:bib]] и [[ref:gone]]'), resolve);
    assert.equal(html, '<p>по <a class="xref" href="#clause-t2">1.2</a>, в таблице <a class="xref" href="#clause-tbA1">А.1</a>, '
      + 'см. <a class="xref" href="#clause-bib">Библиография</a> и <span class="xref-missing">[?]</span></p>');
    assert.equal(resolveCrossReferences(doc, 'en')('n2'), '1 to 1.2');
  });
});

describe('numbering: properties', () => {
  it('numbers siblings 1..n under their parent number, and letters annexes in order', () => {
    fc.assert(fc.property(clausesArb(40), (clauses) => {
      const labels = numberClauses(clauses);
      const letters = clauses.filter((x) => labels.get(x.key)?.kind === 'annex').map((x) => labels.get(x.key)!.number);
      assert.deepEqual(letters, GOST_LETTERS.slice(0, letters.length));
      const seen = new Map<number, number>();
      clauses.forEach((x, i) => {
        const label = labels.get(x.key);
        if (label?.kind !== 'clause') return;
        const p = parentIndex(clauses, i);
        const n = (seen.get(p) ?? 0) + 1;
        seen.set(p, n);
        const prefix = p >= 0 ? labels.get(clauses[p]!.key)?.number : undefined;
        assert.equal(label.number, prefix ? `${prefix}.${n}` : String(n));
      });
    }));
  });

  it('gives every numbered clause, table and bibliography entry a distinct label', () => {
    fc.assert(fc.property(clausesArb(40), (clauses) => {
      const texts = [...numberClauses(clauses).values()].filter((l) => l.kind !== 'note' && l.kind !== 'example').map((l) => l.text.ru);
      assert.equal(new Set(texts).size, texts.length);
    }));
  });

  it('numbers a note only when its parent has several', () => {
    fc.assert(fc.property(clausesArb(40), (clauses) => {
      const labels = numberClauses(clauses);
      clauses.forEach((x, i) => {
        if (x.kind !== 'note') return;
        const p = parentIndex(clauses, i);
        const notes = clauses.filter((y, j) => y.kind === 'note' && parentIndex(clauses, j) === p).length;
        assert.equal(labels.get(x.key)!.number === '', notes === 1);
      });
    }));
  });
});
