import assert from 'node:assert/strict';
import { loadPdfAssets } from '../../../server/pdf/assets.js';
import { renderCommentsSummaryPdf, type CommentsSummaryView, type SummaryComment } from '../../../server/pdf/comments-summary.js';
import { pdfBuffer } from '../../../server/pdf/document.js';
import { SAMPLE_DATE } from './sample.js';
import { PdfFile, squash } from './tools.js';

const assets = loadPdfAssets();

function comment(i: number, clause: string): SummaryComment {
  const types = ['ge', 'te', 'ed'] as const;
  return {
    mb: i % 2 ? 'RU' : 'BY',
    number: `${i % 2 ? 'RU' : 'BY'}-${String(i + 1).padStart(3, '0')}`,
    line: String(10 + i),
    clause,
    element: i % 3 === 0 ? 'Таблица 1' : 'абзац 2',
    type: types[i % 3]!,
    comment: `Замечание ${i + 1}: норма тока потребления завышена по сравнению с ГОСТ 18725; предлагается согласовать её с результатами испытаний 2026 г.`,
    proposedChange: `Заменить «не более 25 мА» на «не более 20 мА» (замечание ${i + 1}).`,
    disposition: (['accepted', 'rejected', 'partiallyAccepted', 'noted', 'referred'] as const)[i % 5],
    observations: i % 5 === 1 ? 'Отклонено: норма подтверждена испытаниями 2026 г.' : undefined,
  };
}

function summaryView(): CommentsSummaryView {
  const clauses = ['', '1', '4.2', '4.3.1', 'Приложение А'];
  let n = 0;
  return {
    lang: 'ru',
    documentTitle: 'Микросхемы интегральные. Общие технические требования',
    revision: 2,
    stage: '30.60',
    createdAt: SAMPLE_DATE,
    groups: clauses.map((clause) => ({
      clause,
      heading: clause === '4.2' ? 'Основные параметры и характеристики' : undefined,
      comments: Array.from({ length: clause === '4.2' ? 30 : 4 }, () => comment(n++, clause)).concat(clause === '1' ? [{ ...comment(n++, clause), comment: 'Очень длинное замечание. '.repeat(400) + 'КОНЕЦЗАМЕЧАНИЯ' }] : []),
    })),
  };
}

describe('PDF summary of comments', function () {
  this.timeout(60_000);
  let pdf: PdfFile;
  before(async () => {
    pdf = new PdfFile(await pdfBuffer(renderCommentsSummaryPdf(summaryView(), assets)));
  });
  after(() => pdf.remove());

  it('is landscape A4 with the ISO template’s columns repeated on every page', () => {
    assert.equal(pdf.info()['Page size'], '841.89 x 595.28 pts (A4)');
    const pages = pdf.pages();
    assert.ok(pages.length >= 4, `${pages.length} pages`);
    pages.forEach((p, i) => {
      const t = squash(p);
      for (const col of ['Делегация¹', 'Замечание', 'Предлагаемое изменение', 'Заключение', 'секретариата', 'Тип²']) assert.ok(t.includes(col), `page ${i + 1} lacks «${col}»`);
      assert.match(p, new RegExp(`Страница ${i + 1} из ${pages.length}`));
    });
  });

  it('groups the comments by clause, in order, with every comment once', () => {
    const text = squash(pdf.text());
    const groups = ['Общие замечания', 'Пункт 1', 'Пункт 4.2 — Основные параметры и характеристики', 'Пункт 4.3.1', 'Приложение А'];
    let at = 0;
    for (const g of groups) {
      const i = text.indexOf(g, at);
      assert.ok(i >= 0, `group «${g}»`);
      at = i;
    }
    const numbers = [...text.matchAll(/Замечание (\d+):/g)].map((m) => Number(m[1]));
    assert.deepEqual(numbers, Array.from({ length: 47 }, (_, i) => i + 1).filter((n) => n !== 9));
    assert.match(text, /КОНЕЦЗАМЕЧАНИЯ/, 'a comment longer than a page is split, not cut');
    assert.match(text, /Отклонено\. Отклонено: норма/);
    assert.deepEqual(pdf.outline().map((o) => o.title), groups);
  });
});
