import assert from 'node:assert/strict';
import { amendmentChanges, changeInstruction, consolidate } from '../../../server/text/amendment.js';
import type { Clause } from '../../../server/text/clauses.js';

const base: Clause[] = [
  { key: 'scope', depth: 0, kind: 'section', heading: 'Область применения', body: 'Настоящий стандарт распространяется на микросхемы.' },
  { key: 'req', depth: 0, kind: 'section', heading: 'Технические требования' },
  { key: 'req-1', depth: 1, kind: 'text', body: 'Первое требование.' },
  { key: 'req-2', depth: 1, kind: 'text', body: 'Второе требование.' },
  { key: 'req-3', depth: 1, kind: 'text', body: 'Третье требование.' },
];

describe('an amendment\'s changes (server/text/amendment.ts)', () => {
  it('finds no change in the same text', () => {
    assert.deepEqual(amendmentChanges(base, base), []);
  });

  it('replaces, adds after a clause and deletes by key, worded as GOST 1.5 words them', () => {
    const amended: Clause[] = [
      base[0]!, base[1]!,
      { ...base[2]!, body: 'Первое требование в новой редакции.' },
      { key: 'new', depth: 1, kind: 'text', body: 'Новое требование.' },
      base[3]!,
    ];
    const changes = amendmentChanges(base, amended);
    assert.deepEqual(changes.map((c) => [c.type, c.key]), [['replace', 'req-1'], ['add', 'new'], ['delete', 'req-3']]);
    assert.deepEqual(changes.map(changeInstruction), ['Пункт 2.1 изложить в новой редакции:', 'Дополнить пунктом 2.2:', 'Пункт 2.3 исключить.']);
    // Applying exactly these changes to the standard gives the amended text.
    assert.deepEqual(consolidate(base, changes), amended);
  });

  it('names a whole section «Раздел», a replaced one by its number in the standard, and adds a clause at the very start', () => {
    const amended: Clause[] = [{ key: 'intro', depth: 0, kind: 'section', heading: 'Введение', body: 'Текст.' }, ...base.slice(0, 1).map((c) => ({ ...c, body: 'Иначе.' })), ...base.slice(1)];
    const changes = amendmentChanges(base, amended);
    assert.deepEqual(changes.map(changeInstruction), ['Дополнить разделом 1:', 'Раздел 1 изложить в новой редакции:']);
    assert.deepEqual(consolidate(base, changes), amended);
  });
});
