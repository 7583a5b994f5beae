import assert from 'node:assert/strict';
import type { Clause } from '../../../server/text/clauses.js';
import { loadPdfAssets } from '../../../server/pdf/assets.js';
import { pdfBuffer } from '../../../server/pdf/document.js';
import { COMMITTEE_REPERTOIRE, glyphCoverage, unprintableInRevision, unprintableInView } from '../../../server/pdf/glyphs.js';
import { renderRedlinePdf } from '../../../server/pdf/redline.js';
import { renderStandardPdf } from '../../../server/pdf/standard.js';
import { standardPdfView, type StandardPdfView } from '../../../server/pdf/standard-view.js';
import { SAMPLE_DATE } from './sample.js';
import { PdfFile } from './tools.js';

const assets = loadPdfAssets();
const coverage = glyphCoverage(assets.fonts);
const R = COMMITTEE_REPERTOIRE;
/** The repertoire as clause markup: its markup characters escaped, so that every one is printed. */
const E = R.replace(/[\\*^_{}[\]]/g, '\\$&');

/**
 * Characters that share one glyph with another character of the repertoire (micro sign and Greek mu,
 * increment and Delta, ohm sign and Omega): a glyph copies out as one code point, the first one drawn.
 */
const TWINS: Record<string, string> = { '\u00b5': '\u03bc', '\u2206': '\u0394', '\u2126': '\u03a9' };

/** The glyph codes of every TJ string of an uncompressed PDF, four hex digits each. */
function glyphCodes(bytes: Buffer): string[] {
  const codes: string[] = [];
  for (const tj of bytes.toString('latin1').matchAll(/\[([^\]]*)\] TJ/g)) {
    for (const hex of tj[1]!.matchAll(/<([0-9a-f]*)>/g)) for (let i = 0; i < hex[1]!.length; i += 4) codes.push(hex[1]!.slice(i, i + 4));
  }
  return codes;
}

/** A standard that prints the repertoire in every face: headings (sans bold), body (serif in its four styles), keywords (sans), titles. */
function repertoireView(): StandardPdfView {
  const clauses: Clause[] = [
    { key: 'a', depth: 0, kind: 'section', heading: R },
    { key: 'b', depth: 1, kind: 'section', heading: R },
    { key: 'c', depth: 2, kind: 'text', body: `${E}\n\n*${E}*\n\n**${E}**\n\n**x *${E}* y**` },
    { key: 'd', depth: 2, kind: 'table', table: { caption: E, header: [E], rows: [[E]] } },
    { key: 'e', depth: 2, kind: 'note', body: E },
  ];
  return standardPdfView({
    titles: { ru: R, en: R }, developer: R, published: false, revision: 1, stage: '30.20', ics: '31.200', keywords: [R],
    createdAt: SAMPLE_DATE, clauses,
  });
}

describe('Characters the PDFs can print', function () {
  this.timeout(60_000);

  it('has a glyph for every character of committee texts in every face', () => {
    const missing = [...R].filter((ch) => !coverage.printable(ch.codePointAt(0)!));
    assert.deepEqual(missing, []);
  });

  it('prints every character of committee texts with a real glyph, none as .notdef, and copies each out', async () => {
    const bytes = await pdfBuffer(renderStandardPdf(repertoireView(), assets, { compress: false }));
    const pdf = new PdfFile(bytes);
    try {
      const codes = glyphCodes(bytes);
      assert.ok(codes.length > R.length * 8, `only ${codes.length} glyphs drawn`);
      assert.equal(codes.filter((c) => c === '0000').length, 0, 'glyphs drawn as .notdef (the empty box)');
      const fonts = pdf.fonts();
      for (const f of fonts) assert.ok(f.embedded && f.unicode, `${f.name}: embedded ${f.embedded}, ToUnicode ${f.unicode}`);
      for (const name of ['PTSerif-Regular', 'PTSans-Bold', 'NotoSerif-Regular', 'NotoSerif-BoldItalic', 'NotoSans-Regular', 'NotoSansMath-Regular']) {
        assert.ok(fonts.some((f) => f.name.endsWith(`+${name}`)), `${name} is not embedded`);
      }
      const text = pdf.text();
      const lost = [...new Set(R)].filter((ch) => ch.trim() && !text.includes(ch) && !(TWINS[ch] && text.includes(TWINS[ch]!)));
      assert.deepEqual(lost, [], 'characters that do not copy out of the PDF');
      for (const ch of 'βγδ″') assert.ok(text.includes(`F${ch}r`) || text.includes(ch), ch);
    } finally {
      pdf.remove();
    }
  });

  it('prints Greek and math signs in redlines too (the same faces)', async () => {
    const bytes = await pdfBuffer(renderRedlinePdf({
      lang: 'ru', documentTitle: 'Станки', from: 1, to: 2, counts: { added: 1, removed: 0, changed: 0, moved: 0, renumbered: 0, unchanged: 0 }, unchanged: 0,
      rows: [{ key: 'k', status: 'added', moved: false, renumbered: false, labelAfter: '4.1', text: 'γ = 99 %, δP ≤ 0,5 %, F_βr, ⌀ 12 мм, ±1″', fields: [] }],
      createdAt: SAMPLE_DATE,
    }, assets, { compress: false }));
    assert.equal(glyphCodes(bytes).filter((c) => c === '0000').length, 0);
    const pdf = new PdfFile(bytes);
    try {
      assert.match(pdf.text(), /γ = 99 %, δP ≤ 0,5 %, F_βr, ⌀ 12 мм, ±1″/);
    } finally {
      pdf.remove();
    }
  });

  it('finds the characters no font has, once each, and passes over what is never printed', () => {
    assert.deepEqual(coverage.missing('β😀 текст 中 😀\u0007\u200b'), [
      { char: '😀', codePoint: 'U+1F600' },
      { char: '中', codePoint: 'U+4E2D' },
    ]);
    assert.deepEqual(coverage.missing(R), []);
  });

  it('names the clause of an unprintable character as a person would, in both languages', () => {
    const clauses: Clause[] = [
      { key: 's1', depth: 0, kind: 'section', heading: 'Требования' },
      { key: 't1', depth: 1, kind: 'text', body: 'Ток F_{βr} = 5 А' },
      { key: 't2', depth: 1, kind: 'text', body: 'Сигнал 🔔 подаётся' },
      { key: 'n1', depth: 2, kind: 'note', body: 'См. 中' },
      { key: 'r1', depth: 1, kind: 'requirement', requirement: { parameter: 'Ток', max: 5, unit: '㎃' } },
    ];
    const found = unprintableInRevision(clauses, coverage, { titles: { ru: 'Станки ☃', en: 'Machines' }, developer: 'ОАО' });
    assert.deepEqual(found.map((f) => [f.place.ru, f.place.en, f.char, f.codePoint]), [
      ['Наименование документа', 'Title of the document (Russian)', '☃', 'U+2603'],
      ['Пункт 1.2', 'Clause 1.2', '🔔', 'U+1F514'],
      ['Примечание', 'Note', '中', 'U+4E2D'],
      ['Пункт 1.3', 'Clause 1.3', '㎃', 'U+3383'],
    ]);
    assert.equal(found[1]!.place.clauseKey, 't2');
  });

  it('checks every text of the printed view, the cover and the foreword included', () => {
    const view = repertoireView();
    assert.deepEqual(unprintableInView(view, coverage), []);
    const bad = { ...view, votes: [{ country: 'Республика Беларусь ☃', code: 'BY', vote: 'approve' as const }] };
    assert.deepEqual(unprintableInView(bad, coverage).map((u) => [u.place.ru, u.char]), [['Титульный лист и предисловие', '☃']]);
  });

  it('can print every text of its own boilerplate', () => {
    const strings: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(assets.text);
    assert.deepEqual(coverage.missing(strings.join(' ')), []);
  });
});
