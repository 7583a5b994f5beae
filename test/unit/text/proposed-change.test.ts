// A comment's proposed change read as an edit of its clause (docs/applying-changes.md, «The suggestion»).
import assert from 'node:assert/strict';
import { suggestChange } from '../../../server/text/proposed-change.js';

describe('a proposed change read as an edit of the clause', () => {
  it('replaces, deletes, rewords and adds; leaves the clause alone when it cannot read the proposal', () => {
    const v = { kind: 'text', heading: 'Ток', body: 'Ток утечки не более 25 мА при напряжении 220 В.' };
    assert.equal(suggestChange(v, 'Заменить «не более 25 мА» на «не более 20 мА».').values.body, 'Ток утечки не более 20 мА при напряжении 220 В.');
    assert.equal(suggestChange(v, 'Replace "220 В" with "230 В"').values.body, 'Ток утечки не более 25 мА при напряжении 230 В.');
    assert.equal(suggestChange(v, 'Исключить «утечки»').values.body, 'Ток не более 25 мА при напряжении 220 В.');
    assert.deepEqual(suggestChange(v, 'Изложить в следующей редакции: «Ток утечки — не более 20 мА.»'), { values: { ...v, body: 'Ток утечки — не более 20 мА.' }, applied: ['reword'] });
    assert.equal(suggestChange(v, 'Дополнить пункт: «Измерение — по ГОСТ 12.2.007.0.»').values.body, `${v.body} Измерение — по ГОСТ 12.2.007.0.`);
    assert.equal(suggestChange(v, 'Read: "Leakage current: at most 20 mA."').values.body, 'Leakage current: at most 20 mA.');
    assert.equal(suggestChange(v, 'Add: "See GOST 12.2.007.0."').values.body, `${v.body} See GOST 12.2.007.0.`);
    // Two pairs in one proposal; each in the first field that holds it (the text before the heading).
    assert.deepEqual(suggestChange(v, 'Заменить «Ток утечки» на «Сила тока утечки»; заменить «220 В» на «230 В».').values, { ...v, body: 'Сила тока утечки не более 25 мА при напряжении 230 В.' });
    assert.equal(suggestChange(v, 'Заменить «Ток» на «Сила тока»').values.heading, 'Ток');
    // A term's proposal goes into its definition.
    assert.equal(suggestChange({ kind: 'term', termRu: 'изделие', definition: 'Станок.' }, 'Изложить в новой редакции: «Станок лазерный.»').values.definition, 'Станок лазерный.');
    assert.deepEqual(suggestChange(v, 'Уточнить формулировку.'), { values: v, applied: [] });
    assert.deepEqual(suggestChange(v, 'Заменить «нет такого» на «другое»').applied, []);
  });
});
