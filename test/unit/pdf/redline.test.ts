import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import type { Clause } from '../../../server/text/clauses.js';
import { comparisonView } from '../../../server/text/compare-view.js';
import type { DocumentRecord, RevisionRecord } from '../../../server/documents/model.js';
import { compareRevisions } from '../../../server/text/redline.js';
import { translate } from '../../../server/i18n/index.js';
import { loadPdfAssets } from '../../../server/pdf/assets.js';
import { pdfBuffer } from '../../../server/pdf/document.js';
import { DELETE_COLOR, INSERT_COLOR, renderRedlinePdf, type RedlinePdfView } from '../../../server/pdf/redline.js';
import { SAMPLE_DATE, sampleClauses } from './sample.js';
import { PdfFile, squash } from './tools.js';

const assets = loadPdfAssets();

/** Two revisions of the sample: one clause reworded, one added, one removed, and enough to fill pages. */
function redlineView(): RedlinePdfView {
  const a = sampleClauses(2);
  const b: Clause[] = a
    .filter((c) => c.key !== 'x1-example')
    .map((c) => (c.key === 'requirements-general' ? { ...c, body: 'Изделия должны соответствовать требованиям настоящего стандарта и технических условий на изделия конкретных типов.' } : c));
  b.splice(b.findIndex((c) => c.key === 'x0-note') + 1, 0, { key: 'new-one', depth: 2, kind: 'note', body: 'Новое примечание о порядке пересчёта норм.' });
  const many = Array.from({ length: 40 }, (_, i): [string, string] => [`x0-r${i}`, `Параметр ${i}`]);
  const a2 = [...a, ...many.map(([key, p]) => ({ key, depth: 1, kind: 'bibliography' as const, body: `${p}: старое значение нормы` }))];
  const b2 = [...b, ...many.map(([key, p]) => ({ key, depth: 1, kind: 'bibliography' as const, body: `${p}: новое значение нормы` }))];
  const cv = comparisonView({
    doc: { _id: 'x', titles: { ru: 'Микросхемы интегральные. Общие технические требования', en: 'Integrated circuits' }, currentRevision: 2 } as unknown as DocumentRecord,
    comparison: compareRevisions(a2, b2),
    from: { number: 1 } as RevisionRecord,
    to: { number: 2 } as RevisionRecord,
  }, 'ru');
  return {
    lang: 'ru',
    documentTitle: cv.doc.title,
    from: 1,
    to: 2,
    counts: cv.counts,
    unchanged: cv.unchanged,
    rows: cv.rows.map((r) => ({ ...r, kind: r.kind ? translate('ru', `clauses.kind.${r.kind}`) : undefined })),
    createdAt: SAMPLE_DATE,
  };
}

/** The page content streams, inflated, to read the drawing operators. */
function contentOps(bytes: Buffer): string {
  const out: string[] = [];
  const re = /stream\r?\n/g;
  for (let m = re.exec(bytes.toString('latin1')); m; m = re.exec(bytes.toString('latin1'))) {
    const start = m.index + m[0].length;
    const end = bytes.indexOf('endstream', start);
    try {
      out.push(zlib.inflateSync(bytes.subarray(start, end)).toString('latin1'));
    } catch {
      /* not a deflated stream (fonts are, but read as binary noise, which is harmless here) */
    }
  }
  return out.join('\n');
}

describe('PDF of a redline', function () {
  this.timeout(60_000);
  let pdf: PdfFile;
  before(async () => {
    pdf = new PdfFile(await pdfBuffer(renderRedlinePdf(redlineView(), assets)));
  });
  after(() => pdf.remove());

  it('names the comparison on every page', () => {
    const pages = pdf.pages();
    assert.ok(pages.length >= 2, 'long enough to show the header on several pages');
    pages.forEach((p, i) => {
      assert.match(p, /Сравнение редакций 1 и 2 · Микросхемы интегральные/, `page ${i + 1}`);
      assert.match(p, new RegExp(`Страница ${i + 1} из ${pages.length}`));
    });
  });

  it('shows insertions, deletions, added and removed clauses', () => {
    const text = squash(pdf.text());
    assert.match(text, /Сравнение редакций 1 и 2/);
    assert.match(text, /Изменён 4\.1 · Пункт/);
    assert.match(text, /стандартов или\s+и технических условий/, 'the deleted words are there, beside the inserted ones');
    assert.match(text, /Перенумерован Примечание 1 \(ранее Примечание\)/);
    assert.match(text, /Добавлен Примечание 2 · Примечание/);
    assert.match(text, /Новое примечание о порядке пересчёта норм/);
    assert.match(text, /Удалён Пример · Пример Условное обозначение микросхемы/);
    assert.match(text, /Параметр 39: старое новое значение нормы/);
  });

  it('draws insertions blue and underlined, deletions red and struck through', () => {
    const ops = contentOps(pdf.bytes);
    const rg = (c: readonly number[]) => c.map((n) => String(Math.round(n * 100) / 100)).join(' ');
    assert.ok(ops.includes(`${rg(INSERT_COLOR)} rg`), 'blue text');
    assert.ok(ops.includes(`${rg(DELETE_COLOR)} rg`), 'red text');
    assert.ok(ops.includes(`${rg(INSERT_COLOR)} RG`), 'a blue line under the insertions');
    assert.ok(ops.includes(`${rg(DELETE_COLOR)} RG`), 'a red line through the deletions');
  });

  it('gives the same bytes for the same comparison', async () => {
    const again = await pdfBuffer(renderRedlinePdf(redlineView(), assets));
    assert.ok(again.equals(pdf.bytes));
  });
});
