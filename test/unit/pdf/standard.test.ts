import assert from 'node:assert/strict';
import { mock } from 'node:test';
import type { Clause } from '../../../server/text/clauses.js';
import { loadPdfAssets } from '../../../server/pdf/assets.js';
import { pdfBuffer } from '../../../server/pdf/document.js';
import { A4_PORTRAIT } from '../../../server/pdf/layout.js';
import { renderStandardPdf } from '../../../server/pdf/standard.js';
import { standardPdfView, type StandardPdfView } from '../../../server/pdf/standard-view.js';
import { SAMPLE_DATE, sampleSource, sampleView } from './sample.js';
import { PdfFile, squash } from './tools.js';

const assets = loadPdfAssets();
const render = async (view: StandardPdfView) => new PdfFile(await pdfBuffer(renderStandardPdf(view, assets)));

/** Every word inside the page's text area, save the running header and footer bands. */
function assertNothingOverflows(pdf: PdfFile): void {
  const g = A4_PORTRAIT;
  const outside = pdf.words().filter((w) => {
    const inHeader = w.yMax < g.top - 10;
    const inFooter = w.yMin > w.height - g.bottom + 4;
    const bodyOut = w.xMin < g.left - 1 || w.xMax > w.width - g.right + 1;
    const edgeOut = w.xMin < 0 || w.xMax > w.width || w.yMin < 0 || w.yMax > w.height;
    return edgeOut || (!inHeader && !inFooter && (bodyOut || w.yMax > w.height - g.bottom + 2));
  });
  assert.deepEqual(outside.slice(0, 5), [], `${outside.length} words outside the text area`);
}

/** The sections of a view as the PDF prints their headings. */
function sectionTitles(view: StandardPdfView): string[] {
  return view.clauses.filter((c) => c.kind === 'section').map((c) => (c.annexStatus ? `${c.label} ${c.annexStatus} ${c.heading}` : [c.label, c.heading].filter(Boolean).join(' ')));
}

describe('PDF of a standard', function () {
  this.timeout(60_000);
  let draftView: StandardPdfView;
  let draft: PdfFile;
  let published: PdfFile;

  before(async () => {
    draftView = sampleView({ scale: 3 });
    draft = await render(draftView);
    published = await render(sampleView({ scale: 3, published: true }));
  });
  after(() => {
    draft.remove();
    published.remove();
  });

  it('prints the headings in document order with their derived numbers', () => {
    const text = squash(draft.pages().slice(3).join(' '));
    let at = 0;
    for (const title of sectionTitles(draftView)) {
      const i = text.indexOf(title.replace(/ \(/, ' ('), at);
      assert.ok(i >= 0, `heading «${title}» not found after position ${at}`);
      at = i + title.length;
    }
    assert.match(text, /4\.3\.2 Напряжение питания\./);
    assert.match(text, /Таблица 2 — Электрические параметры изделий 1-й группы/);
    assert.match(text, /А\.1 Для каждого требования/);
    assert.match(text, /\[1\] ТР ТС 004\/2011/);
    assert.match(text, /Примечание — Значения параметров/);
  });

  it('sets «Примечание» and «Пример» letter-spaced, yet search and copy find the words whole', () => {
    const text = draft.text();
    assert.match(text, /Примечание — Значения параметров/);
    assert.match(text, /Пример — Условное обозначение микросхемы/);
    assert.doesNotMatch(text, /П р и м е/);
    // Spaced out by character spacing on the page, not by space characters.
    const words = draft.words().map((w) => w.word);
    assert.ok(words.includes('Примечание') && words.includes('Пример'));
    assert.ok(!words.includes('П'), 'no letter stands alone as a word');
  });

  it('says «Страница N из M» on every page but the cover', () => {
    const pages = draft.pages();
    const m = pages.length;
    assert.ok(m > 8);
    assert.ok(!/Страница/.test(pages[0]!), 'the cover has no page number');
    pages.slice(1).forEach((p, i) => assert.match(p, new RegExp(`Страница ${i + 2} из ${m}\\s*$`), `page ${i + 2}`));
  });

  it('embeds every font, PT Serif and PT Sans with Unicode maps', () => {
    const fonts = draft.fonts();
    assert.ok(fonts.length >= 4);
    for (const f of fonts) {
      assert.ok(f.embedded, `${f.name} is not embedded`);
      assert.ok(f.unicode, `${f.name} has no ToUnicode map`);
    }
    assert.ok(fonts.some((f) => /PTSerif-Regular$/.test(f.name)));
    assert.ok(fonts.some((f) => /PTSans-Bold$/.test(f.name)));
  });

  it('prints in the contents the pages where the headings really are', () => {
    const pages = draft.pages();
    const contentsPage = pages.findIndex((p) => /^\s*Содержание\s*$/m.test(p));
    assert.ok(contentsPage > 0);
    const entries = [...pages[contentsPage]!.matchAll(/^\s*(\S.*?)(?:\s*\.){3,}\s*(\d+)\s*$/gm)].map((m) => ({ title: squash(m[1]!), page: Number(m[2]) }));
    assert.ok(entries.length >= 15, `only ${entries.length} contents entries`);
    for (const e of entries) {
      const page = pages[e.page - 1];
      assert.ok(page, `«${e.title}» points past the end (${e.page})`);
      const lines = page.split('\n').map(squash);
      // An annex sets its label, status and heading on three centred lines.
      const found = e.title.startsWith('Приложение') ? squash(page).includes(e.title) : lines.some((l) => l.startsWith(e.title.slice(0, 40)));
      assert.ok(found, `«${e.title}» is not on page ${e.page}`);
      const before = pages[e.page - 2]!.split('\n').map(squash);
      // A heading is on exactly that page: not already on the page before (the contents themselves aside).
      if (e.page - 2 !== contentsPage) assert.ok(!before.some((l) => l === e.title), `«${e.title}» is on page ${e.page - 1} already`);
    }
  });

  it('has a bookmark for every section, on the page where it is', () => {
    const outline = draft.outline();
    const titles = outline.map((o) => o.title);
    assert.deepEqual(titles.slice(0, 2), ['Предисловие', 'Содержание']);
    assert.deepEqual(titles.slice(2), sectionTitles(draftView));
    const pages = draft.pages();
    for (const o of outline.slice(2)) {
      assert.ok(squash(pages[o.page - 1]!).includes(o.title.slice(0, 30)), `bookmark «${o.title}» points at page ${o.page}`);
    }
    assert.ok(outline.some((o) => o.depth === 1), 'subsections are nested under their sections');
  });

  it('marks every page of a draft «ПРОЕКТ / DRAFT» and no page of a published standard', () => {
    draft.pages().forEach((p, i) => assert.match(p, /ПРОЕКТ \/ DRAFT/, `draft page ${i + 1}`));
    published.pages().forEach((p, i) => assert.doesNotMatch(p, /ПРОЕКТ|DRAFT/, `published page ${i + 1}`));
    assert.match(draft.pages()[0]!, /ПРОЕКТ, вторая редакция/);
    assert.match(draft.pages()[0]!, /Стадия 30\.20/);
    assert.match(published.pages()[0]!, /СТ СГ 12—2027/);
    assert.match(published.pages()[0]!, /Издание официальное/);
    assert.match(squash(published.pages()[0]!), /Проверка подлинности: https:\/\/accord\.example\/verify\/0d4f6c2e/);
  });

  it('sets the cover, the foreword with the voting record and the dates of entry into force', () => {
    const cover = squash(published.pages()[0]!);
    assert.match(cover, /КОМИТЕТ СОЮЗНОГО ГОСУДАРСТВА ПО СТАНДАРТИЗАЦИИ И КАЧЕСТВУ/);
    assert.match(cover, /МИКРОСХЕМЫ ИНТЕГРАЛЬНЫЕ Общие технические требования Integrated circuits\. General technical requirements/);
    const foreword = squash(published.pages()[1]!);
    assert.match(foreword, /Предисловие/);
    assert.match(foreword, /1 РАЗРАБОТАН ОАО «ИНТЕГРАЛ»/);
    assert.match(foreword, /За принятие проголосовали:/);
    assert.match(foreword, /Беларусь BY Госстандарт Республики за 2027—05—20/);
    assert.match(foreword, /Россия RU Росстандарт за 2027—05—22/);
    assert.match(foreword, /в Республике Беларусь — с 2028—01—01/);
    assert.match(squash(published.pages()[3]!), /Дата введения — 2028—01—01/);
    assert.match(squash(published.pages()[1]!), /^СТ СГ 12—2027/, 'running header with the designation');
  });

  it('writes the metadata: title, subject, keywords, language, fixed dates', () => {
    const info = published.info();
    assert.equal(info.Title, 'СТ СГ 12—2027. Микросхемы интегральные. Общие технические требования');
    assert.match(info.Subject!, /Integrated circuits/);
    assert.match(info.Keywords!, /ОКС 31\.200/);
    assert.equal(info['Page size'], '595.28 x 841.89 pts (A4)');
    assert.match(info.CreationDate!, /2027/);
    assert.ok(published.bytes.includes(Buffer.from('/Lang (ru)')), 'the catalogue names the language');
  });

  it('copies out Belarusian letters and the typographic signs as they were typed', () => {
    const text = squash(draft.text());
    assert.match(text, /Ўсходняя прамысловая зона, Іванава/);
    assert.match(text, /символы « » — № ‰ ± × ² печатаются/);
  });

  it('gives the same bytes for the same input, twice', async () => {
    const again = await pdfBuffer(renderStandardPdf(sampleView({ scale: 3 }), assets));
    assert.ok(again.equals(draft.bytes), 'two renders of the draft differ');
    const pub = await pdfBuffer(renderStandardPdf(sampleView({ scale: 3, published: true }), assets));
    assert.ok(pub.equals(published.bytes), 'two renders of the published standard differ');
  });

  it('keeps every word inside the text area', () => {
    assertNothingOverflows(draft);
  });

  it('prints user text as text: PDF operators, HTML and markup characters come out verbatim', async () => {
    const src = sampleSource();
    const nasty = 'Нагрузка ) Tj ET BT /F1 99 Tf (x) Tj <deadbeef> endstream endobj %%EOF \\ <script>alert(1)</script> \\*буквально\\*';
    src.clauses = src.clauses.map((c) => (c.key === 'scope' ? { ...c, body: nasty, heading: 'Область (применения) /Type /Catalog' } : c));
    const pdf = await render(standardPdfView(src));
    try {
      const text = squash(pdf.text());
      assert.ok(text.includes('Нагрузка ) Tj ET BT /F1 99 Tf (x) Tj <deadbeef> endstream endobj %%EOF \\ <script>alert(1)</script> *буквально*'), 'the text is printed as typed');
      assert.ok(text.includes('1 Область (применения) /Type /Catalog'));
      assert.equal(pdf.pageCount(), (await render(sampleView())).pageCount());
    } finally {
      pdf.remove();
    }
  });
});

describe('PDF of a standard at the limits', function () {
  this.timeout(120_000);

  const withClauses = (clauses: Clause[]) => standardPdfView({ ...sampleSource(), clauses });

  it('lays out a clause of 50 000 characters, including one word of 5 000', async () => {
    const words = Array.from({ length: 5200 }, (_, i) => ['изделия', 'должны', 'соответствовать', 'требованиям', 'настоящего', 'стандарта'][i % 6]).join(' ');
    const body = `${words.slice(0, 44_000)} ${'Ж'.repeat(5000)} КОНЕЦПУНКТА`;
    assert.ok(body.length >= 49_000 && body.length <= 50_000);
    const pdf = await render(withClauses([
      { key: 'a', depth: 0, kind: 'section', heading: 'Длинный пункт' },
      { key: 'b', depth: 1, kind: 'text', body },
    ]));
    try {
      assert.ok(pdf.pageCount() >= 12);
      assert.match(pdf.text(), /КОНЕЦПУНКТА/);
      assertNothingOverflows(pdf);
    } finally {
      pdf.remove();
    }
  });

  it('splits a table of 2 000 rows over pages, repeating its header under «Продолжение таблицы»', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [`Параметр № ${i + 1}`, `${(i * 0.37).toFixed(2)}`, i % 7 === 0 ? 'Длинное примечание к строке, которое переносится на вторую строку ячейки таблицы без выхода за её границы.' : '—']);
    const pdf = await render(withClauses([
      { key: 'a', depth: 0, kind: 'section', heading: 'Таблица параметров' },
      { key: 't', depth: 1, kind: 'table', table: { caption: 'Все параметры', header: ['Наименование параметра', 'Норма', 'Примечание'], rows } },
    ]));
    try {
      const pages = pdf.pages();
      const tablePages = pages.filter((p) => /Параметр № \d+/.test(p));
      assert.ok(tablePages.length > 30, `${tablePages.length} pages`);
      tablePages.forEach((p, i) => assert.match(p, /Наименование\s+Норма\s+Примечание\s+параметра/, `table page ${i + 1} has the header`));
      const continued = pages.filter((p) => /Продолжение таблицы 1\b/.test(p)).length;
      const ended = pages.filter((p) => /Окончание таблицы 1\b/.test(p)).length;
      assert.equal(continued + ended, tablePages.length - 1);
      assert.equal(ended, 1);
      assert.match(pages.find((p) => /Окончание таблицы 1/.test(p))!, /Параметр № 2000/);
      const numbers = [...pdf.text().matchAll(/Параметр № (\d+)/g)].map((m) => Number(m[1]));
      assert.deepEqual(numbers, Array.from({ length: 2000 }, (_, i) => i + 1), 'every row once, in order');
      assertNothingOverflows(pdf);
    } finally {
      pdf.remove();
    }
  });

  it('lays out a document of 300 clauses with every number and bookmark', async () => {
    const clauses: Clause[] = [];
    for (let s = 0; s < 20; s++) {
      clauses.push({ key: `s${s}`, depth: 0, kind: 'section', heading: `Раздел ${s + 1}` });
      for (let p = 0; p < 14; p++) clauses.push({ key: `s${s}p${p}`, depth: 1, kind: 'text', body: `Текст пункта ${s + 1}.${p + 1}, ссылка на [[ref:s${(s + 1) % 20}]] и на [[ref:missing]].` });
    }
    assert.equal(clauses.length, 300);
    const pdf = await render(withClauses(clauses));
    try {
      const text = squash(pdf.text());
      assert.match(text, /20\.14 Текст пункта 20\.14, ссылка на 1 и на \[\?\]\./);
      assert.equal(pdf.outline().length, 2 + 20);
      assertNothingOverflows(pdf);
    } finally {
      pdf.remove();
    }
  });

  it('dates the file from the view model, not from the clock', async () => {
    // The same view rendered under two clocks years apart (Node's mock of Date; timers stay real).
    const renderAt = async (clock: string) => {
      mock.timers.enable({ apis: ['Date'], now: new Date(clock) });
      try {
        return await pdfBuffer(renderStandardPdf(sampleView(), assets));
      } finally {
        mock.timers.reset();
      }
    };
    const a = await renderAt('2001-02-03T04:05:06Z');
    const b = await renderAt('2031-12-30T22:59:58Z');
    assert.ok(a.equals(b));
    assert.ok(!a.includes(Buffer.from('D:2001')) && !a.includes(Buffer.from('D:2031')), 'no date of either clock in the file');
    assert.ok(a.includes(Buffer.from(`D:${SAMPLE_DATE.toISOString().slice(0, 4)}`)));
  });
});
