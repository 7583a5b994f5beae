// The parts of the draft import that need no database: Word's list numbers counted from numbering.xml
// (formats, restarts, overrides, numbering through styles), and the structure made of blocks (typed
// numbers that continue what is open, depth closed up, a Latin letter for an annex, notes, terms).
import assert from 'node:assert/strict';
import { draftStructure } from '../../../server/documents/import/structure.js';
import type { Block } from '../../../server/documents/import/word-html.js';
import { readWordFacts } from '../../../server/documents/import/word-parts.js';
import { validateClauses } from '../../../server/text/clauses.js';
import { draftImportPreview } from '../../../server/documents/import/preview.js';
import { mongoose } from '../../../server/db/mongoose.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const part = (s: string) => Buffer.from(s, 'utf8');
const para = (text: string, pPr = '') => `<w:p><w:pPr>${pPr}</w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;
const numPr = (numId: number, ilvl: number) => `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>`;

describe('draft import: Word list numbers', () => {
  const numbering = part(`<w:numbering ${W}>
    <w:abstractNum w:abstractNumId="1">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
    </w:abstractNum>
    <w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="russianLower"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>
    <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
    <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
    <w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
    <w:num w:numId="3"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
    <w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>
  </w:numbering>`);
  const styles = part(`<w:styles ${W}><w:style w:type="paragraph" w:styleId="H1"><w:pPr>${numPr(1, 0)}</w:pPr></w:style><w:style w:type="paragraph" w:styleId="H1x"><w:basedOn w:val="H1"/></w:style></w:styles>`);

  it('counts levels, restarts deeper ones, follows styles and their bases, restarts an overridden list, and tells clause numbers from enumerations', () => {
    const document = part(`<w:document ${W}><w:body>
      ${para('Раздел', '<w:pStyle w:val="H1"/>')}
      ${para('Пункт', numPr(1, 1))}
      ${para('Пункт', numPr(1, 1))}
      ${para('перечисление', numPr(2, 0))}
      ${para('перечисление', numPr(2, 0))}
      ${para('Раздел', '<w:pStyle w:val="H1x"/>')}
      ${para('Пункт', numPr(1, 1))}
      ${para('новое перечисление', numPr(3, 0))}
      ${para('точка', numPr(4, 0))}
      ${para('без номера', numPr(0, 0))}
    </w:body></w:document>`);
    const facts = readWordFacts(new Map([['word/numbering.xml', numbering], ['word/styles.xml', styles], ['word/document.xml', document]]));
    assert.deepEqual(facts.paragraphs.map((p) => [p.label ?? null, p.outline ?? null]), [
      ['1', true], ['1.1', true], ['1.2', true], ['а)', false], ['б)', false], ['2', true], ['2.1', true], ['а)', false], ['•', false], [null, null],
    ]);
    assert.equal(facts.trackedChanges, 0);
  });

  it('counts tracked insertions, deletions and moves, and what has no place in clauses', () => {
    const document = part(`<w:document ${W} xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><w:body>
      <w:p><w:ins w:id="1"><w:r><w:t>новое</w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>старое</w:delText></w:r></w:del></w:p>
      <w:p><w:r><w:drawing/></w:r><m:oMath><m:r><m:t>x</m:t></m:r></m:oMath><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:commentReference w:id="0"/></w:r></w:p>
    </w:body></w:document>`);
    const facts = readWordFacts(new Map([['word/document.xml', document]]));
    assert.equal(facts.trackedChanges, 2);
    assert.deepEqual(facts.paragraphs[0]!.text, 'новое');
    const p = facts.paragraphs[1]!;
    assert.deepEqual([p.images, p.formulas, p.footnotes, p.comments, p.text], [1, 1, 1, 1, '']);
  });
});

describe('draft import: the structure', () => {
  const p = (plain: string, tag = 'p'): Block => ({ type: 'paragraph', tag, cls: '', text: plain, plain });

  it('takes a typed number as a clause only where it continues what is open', () => {
    const s = draftStructure([p('1 Область применения', 'h1'), p('Текст.'), p('2 Требования', 'h1'), p('2.1 Изделия должны работать.'), p('1 Значения приведены для примера.'), p('2.2 Изделия должны храниться.')]);
    assert.deepEqual(s.clauses.map((c) => [c.kind, c.depth, s.written[c.key]]), [['section', 0, '1'], ['section', 0, '2'], ['text', 1, '2.1'], ['text', 1, '2.2']]);
    assert.equal(s.clauses[2]!.body, 'Изделия должны работать.\n\n1 Значения приведены для примера.');
  });

  it('closes up a depth the file skips, and says so; reads a Latin A as the Cyrillic letter of an annex', () => {
    const s = draftStructure([p('1 Общие положения', 'h1'), p('1.1 Пункт.'), p('1.1.1.1 Слишком глубоко.'), p('Приложение A (справочное) Примеры', 'h1'), p('А.1 Пример.')]);
    assert.deepEqual(validateClauses(s.clauses), []);
    assert.deepEqual(s.clauses.map((c) => [c.kind, c.depth, c.annex ?? '']), [['section', 0, ''], ['text', 1, ''], ['text', 2, ''], ['section', 0, 'informative'], ['text', 1, '']]);
    assert.ok(s.notices.some((n) => n.code === 'depthClosedUp' && n.params?.number === '1.1.1.1'));
    assert.equal(s.written[s.clauses[3]!.key], 'А');
  });

  it('makes notes of «Примечание» and a term without English of «3.1 термин: определение»', () => {
    const s = draftStructure([p('3 Термины и определения', 'h1'), p('3.1 изделие: Предмет производства.'), p('Примечание — Пояснение.'), p('Продолжение определения.')]);
    assert.deepEqual(s.clauses.map((c) => c.kind), ['section', 'term', 'note']);
    assert.deepEqual(s.clauses[1]!.term, { ru: 'изделие', definition: 'Предмет производства.' });
    assert.equal(s.clauses[2]!.body, 'Пояснение.');
  });
});

describe('draft import: the preview lists what to fix', () => {
  it('names, as for a draft made in Accord, an empty terms section and a blank left to fill in', () => {
    const s = draftStructure([
      { type: 'paragraph', tag: 'h1', cls: '', text: '1 Область применения', plain: '1 Область применения' },
      { type: 'paragraph', tag: 'p', cls: '', text: 'Настоящий стандарт распространяется на …', plain: 'Настоящий стандарт распространяется на …' },
      { type: 'paragraph', tag: 'h1', cls: '', text: '2 Термины и определения', plain: '2 Термины и определения' },
    ]);
    const preview = draftImportPreview({
      _id: new mongoose.Types.ObjectId(), owner: new mongoose.Types.ObjectId(), fileName: 'проект.docx', macros: false, clauses: s.clauses, written: s.written, dropped: s.dropped, notices: s.notices,
      documentId: new mongoose.Types.ObjectId(), expiresAt: new Date('2026-03-01T16:00:00Z'), createdAt: new Date('2026-03-01T10:00:00Z'),
    }, 'ru');
    assert.deepEqual(preview.issues, []);
    assert.equal(preview.canConfirm, true);
    assert.deepEqual(preview.toFix.map((f) => [f.code, f.severity, f.clause]), [['placeholder', 'warning', '1 Область применения'], ['emptyTerms', 'warning', '2 Термины и определения']]);
  });
});

describe('draft import: an annex lettered by Word', () => {
  it('reads «Приложение %1» of a list as the annex label before its status and heading', () => {
    const facts = { images: 0, formulas: 0, footnotes: 0, comments: 0, textBoxes: 0 };
    const s = draftStructure([
      { type: 'paragraph', tag: 'h1', cls: '', text: '1 Область применения', plain: '1 Область применения' },
      { type: 'paragraph', tag: 'h1', cls: '', text: '(справочное)\nПримеры', plain: '(справочное)\nПримеры', facts: { ...facts, text: '(справочное)\nПримеры', label: 'Приложение А', outline: false } },
    ]);
    assert.deepEqual(s.clauses.map((c) => [c.kind, c.annex ?? '', c.heading]), [['section', '', 'Область применения'], ['section', 'informative', 'Примеры']]);
  });
});
