import assert from 'node:assert/strict';
import PDFDocument from 'pdfkit';
import { parseInline } from '../../../server/text/markup.js';
import { loadPdfAssets } from '../../../server/pdf/assets.js';
import { registerFaces } from '../../../server/pdf/fonts.js';
import { breakLines, inlineSpans, lineOps, Measurer, type TextStyle } from '../../../server/pdf/text.js';
import { normalizeText } from '../../../server/pdf/normalize.js';

describe('PDF text layout', () => {
  const faces = registerFaces(new PDFDocument({ autoFirstPage: false }), loadPdfAssets().fonts);
  const m = new Measurer(faces);
  const body: TextStyle = { face: 'serif', size: 11 };

  it('drops control characters and collapses whitespace in user text', () => {
    assert.equal(normalizeText('a\u0000b\u0007c\td\n\ne\u00adf\u200bg'), 'abc d efg');
    assert.equal(normalizeText('«№ 5»\u00a0мм'), '«№ 5»\u00a0мм', 'a no-break space stays');
  });

  it('never lets a line run past its width, even for one enormous word', () => {
    const spans = [{ text: `начало ${'Щ'.repeat(3000)} конец`, style: body }];
    const lines = breakLines(spans, { width: 300, firstIndent: 30 }, m);
    assert.ok(lines.length > 10);
    for (const l of lines) assert.ok(l.width <= l.available + 0.01, `line of ${l.width} in ${l.available}`);
    const printed = lines.map((l) => l.runs.map((r) => r.text).join('')).join('').replace(/\s+/g, '');
    assert.ok(printed === `начало${'Щ'.repeat(3000)}конец`, 'every character printed once, in order');
  });

  it('keeps a dash, a degree sign and «± 10» with the word before', () => {
    const text = 'слово '.repeat(9) + 'температура (25 ± 10) °C — по ГОСТ 15150';
    for (let width = 120; width < 420; width += 7) {
      const lines = breakLines([{ text, style: body }], { width }, m).map((l) => l.runs.map((r) => r.text).join(''));
      for (const line of lines) assert.doesNotMatch(line, /^(—|°|10\))/, `width ${width}: «${line}»`);
    }
  });

  it('sets superscripts and subscripts smaller and off the baseline, and bold and italic in their faces', () => {
    const spans = inlineSpans(parseInline('U_{пит} = 10^{-6} **важно** *курсив* [[ref:x]] [[ref:y]]'), body, (k) => (k === 'x' ? '4.2' : undefined));
    const sub = spans.find((s) => s.text === 'пит')!;
    const sup = spans.find((s) => s.text === '-6')!;
    assert.ok(sub.style.size < 11 && (sub.style.rise ?? 0) < 0);
    assert.ok(sup.style.size < 11 && (sup.style.rise ?? 0) > 0);
    assert.equal(spans.find((s) => s.text === 'важно')!.style.face, 'serifBold');
    assert.equal(spans.find((s) => s.text === 'курсив')!.style.face, 'serifItalic');
    assert.ok(spans.some((s) => s.text === '4.2') && spans.some((s) => s.text === '[?]'));
  });

  it('writes glyphs as hex codes only, whatever the text holds', () => {
    const [line] = breakLines([{ text: ') Tj (x) BT /F1 9 Tf ET \\', style: body }], { width: 500 }, m);
    const ops = lineOps(line!, 0, 100, 'left', faces, new Set());
    assert.doesNotMatch(ops, /\(x\)|\/F1 9 Tf|\\/);
    assert.match(ops, /^BT\n1 0 0 -1 0 100 Tm\n0 0 0 rg\n\/F\d+ 11 Tf\n\[<[0-9a-f]+>\] TJ\nET$/);
  });
});
