// The structure of a standard's PDF as a screen reader gets it (docs/pdf.md): headings with their numbers
// at the level of their depth, lists, tables with header cells, notes, the contents as links, the QR code
// with its alternate text, and the running header, footer and repeated table headers left out as
// artifacts. Conformance itself is veraPDF's to judge (test/integration/pdfa.test.ts).
import assert from 'node:assert/strict';
import { loadPdfAssets } from '../../../server/pdf/assets.js';
import { pdfBuffer } from '../../../server/pdf/document.js';
import { renderRedlinePdf } from '../../../server/pdf/redline.js';
import { renderStandardPdf } from '../../../server/pdf/standard.js';
import { standardPdfView } from '../../../server/pdf/standard-view.js';
import { SAMPLE_DATE, sampleSource, sampleView } from './sample.js';
import { PdfFile } from './tools.js';

const assets = loadPdfAssets();

/** The XMP packet (PDFKit writes it uncompressed). */
const xmp = (bytes: Buffer) => {
  const s = bytes.toString('utf8');
  return s.slice(s.indexOf('<?xpacket begin'), s.indexOf('<?xpacket end'));
};

describe('Tagged PDF of a standard', function () {
  this.timeout(60_000);
  let pdf: PdfFile;
  let raw: string;
  before(async () => {
    const view = sampleView({ published: true });
    pdf = new PdfFile(await pdfBuffer(renderStandardPdf(view, assets)));
    raw = (await pdfBuffer(renderStandardPdf(view, assets, { compress: false }))).toString('latin1');
  });
  after(() => pdf.remove());

  it('tags each clause heading with its number, H1 for a section and one level down per depth', () => {
    const headings = pdf.structure().filter((e) => /^H[1-6]$/.test(e.type));
    const byText = new Map(headings.map((h) => [h.text, h.type]));
    assert.equal(byText.get('1 Область применения'), 'H1');
    assert.equal(byText.get('4 Технические требования'), 'H1');
    const h2 = headings.filter((h) => h.type === 'H2' && /^\d+\.\d+ /.test(h.text));
    assert.ok(h2.length >= 3, 'subsections are H2 with their numbers');
    assert.ok(headings.some((h) => h.type === 'H1' && /^Приложение А \(обязательное\)/.test(h.text)), 'the annex title is one H1');
    // No level is skipped: an Hn comes after some H(n-1).
    let deepest = 0;
    for (const h of headings) {
      const n = Number(h.type[1]);
      assert.ok(n <= deepest + 1, `${h.type} «${h.text}» after H${deepest}`);
      deepest = n;
    }
  });

  it('nests sections, and tags lists, tables with header cells, notes and bibliography entries', () => {
    const s = pdf.structure();
    assert.ok(s.some((e) => e.type === 'Sect' && e.level > s.find((x) => x.type === 'Sect')!.level), 'subsections inside sections');
    assert.ok(s.some((e) => e.type === 'LBody' && /^1\) подключают/.test(e.text)), 'a list item with its marker');
    assert.ok(s.some((e) => e.type === 'L') && s.some((e) => e.type === 'LI'));
    const th = s.filter((e) => e.type === 'TH');
    assert.ok(th.length > 0 && th.every((e) => e.attrs.includes('/Scope /Column')), 'every header cell has its scope');
    assert.ok(s.some((e) => e.type === 'TD' && /^Напряжение питания/.test(e.text)), 'a data cell with its text');
    assert.ok(s.some((e) => e.type === 'Caption' && /^Таблица 1/.test(e.text)));
    const notes = s.filter((e) => e.type === 'Note');
    assert.ok(notes.length > 0 && notes.every((e) => /^<note-[\w-]+>/.test(e.attrs)), 'each note has its ID');
    assert.ok(s.some((e) => e.type === 'BibEntry' && /ТР ТС 004\/2011/.test(e.text)));
  });

  it('makes the contents a TOC of links to the headings', () => {
    const s = pdf.structure();
    const items = s.filter((e) => e.type === 'TOCI');
    assert.ok(items.length >= 10);
    const links = s.filter((e) => e.type === 'Link');
    assert.ok(links.some((e) => /^1 Область применения \d+$/.test(e.text)), 'an entry\'s link reads its heading and page');
    assert.ok(s.some((e) => e.type === 'Object'), 'links hold their annotations');
    assert.match(raw, /\/Subtype \/Link\n\/Contents \(/);
    assert.match(raw, /\/Tabs \/S/);
  });

  it('describes the QR code, and links its address', () => {
    assert.match(raw, /\/S\/Figure\/P \d+ 0 R\/Pg \d+ 0 R\/K\[\d+\]\/Alt<FEFF[0-9A-F]+>/);
    assert.ok(pdf.structure().some((e) => e.type === 'Link' && /^Проверка подлинности: https:\/\/accord\.example\/verify\//.test(e.text)));
    assert.match(raw, /\/URI \(https:\/\/accord\.example\/verify\/0d4f6c2e\)/);
  });

  it('leaves the running header, the footer, the dots and the repeated table headers out of the text', () => {
    const text = pdf.structure().map((e) => e.text).join('\n');
    assert.doesNotMatch(text, /Страница \d+ из \d+/);
    assert.doesNotMatch(text, /Продолжение таблицы|Окончание таблицы/);
    assert.doesNotMatch(text, /\.\.\.\./);
    assert.equal(text.split('СТ СГ 12—2027').length - 1, 1, 'the designation once, on the cover, not in every running header');
  });

  it('declares Russian, the title shown in the window, PDF/A-2a and PDF/UA-1', () => {
    assert.match(raw, /\/Lang \(ru\)/);
    assert.match(raw, /\/DisplayDocTitle true/);
    assert.match(raw, /\/Marked true/);
    const meta = xmp(Buffer.from(raw, 'latin1'));
    assert.match(meta, /<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>A<\/pdfaid:conformance>/);
    assert.match(meta, /<pdfuaid:part>1<\/pdfuaid:part>/);
  });

  it('tags a table header once however many pages the table runs over', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [`Параметр № ${i + 1}`, String(i)]);
    const view = standardPdfView({ ...sampleSource(), clauses: [{ key: 'a', depth: 0, kind: 'section', heading: 'Параметры' }, { key: 't', depth: 1, kind: 'table', table: { header: ['Параметр', 'Норма'], rows } }] });
    const long = new PdfFile(await pdfBuffer(renderStandardPdf(view, assets)));
    try {
      const s = long.structure(false);
      assert.ok(long.pageCount() > 3);
      assert.equal(s.filter((e) => e.type === 'TH').length, 2);
      assert.equal(s.filter((e) => e.type === 'TR').length, 151);
      assert.equal(s.filter((e) => e.type === 'TD').length, 300);
    } finally {
      long.remove();
    }
  });
});

describe('PDF/A metadata', () => {
  it('escapes what the XMP packet cannot hold as it is, and dates the modification', async () => {
    const view = standardPdfView({ ...sampleSource(), titles: { ru: 'Болты & гайки <M12>. Общие требования', en: 'Bolts & nuts' }, modifiedAt: new Date('2027-04-02T10:00:00Z') });
    const meta = xmp(await pdfBuffer(renderStandardPdf(view, assets)));
    assert.match(meta, /Болты &#38; гайки &#60;M12&#62;/);
    assert.doesNotMatch(meta, /&(?!#\d+;)/);
    assert.match(meta, /<xmp:ModifyDate>2027-04-02T10:00:00Z<\/xmp:ModifyDate>/);
  });

  it('makes a redline PDF/A-2b, untagged', async () => {
    const bytes = await pdfBuffer(renderRedlinePdf({ lang: 'ru', documentTitle: 'Станки', from: 1, to: 2, counts: { added: 0, removed: 0, changed: 0, moved: 0, renumbered: 0, unchanged: 0 }, unchanged: 0, rows: [], createdAt: SAMPLE_DATE }, assets, { compress: false }));
    const meta = xmp(bytes);
    assert.match(meta, /<pdfaid:conformance>B<\/pdfaid:conformance>/);
    assert.doesNotMatch(meta, /pdfuaid/);
    assert.doesNotMatch(bytes.toString('latin1'), /StructTreeRoot/);
    assert.match(bytes.toString('latin1'), /\/S \/GTS_PDFA1/);
  });
});
