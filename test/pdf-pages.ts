// Renders chosen pages of Accord's PDFs to PNG (pdftoppm), so that a person can look at them.
//
//   tsx test/pdf-pages.ts draft                 every page of the sample draft standard
//   tsx test/pdf-pages.ts published 1-4,12      pages 1 to 4 and 12 of the published one (cover with QR)
//   tsx test/pdf-pages.ts draft 5 --scale 70    a page of the ~100-page standard
//   tsx test/pdf-pages.ts table 1-3             the standard with a 2 000-row table
//   tsx test/pdf-pages.ts redline               the redline of two revisions of the sample
//   tsx test/pdf-pages.ts summary               a summary of comments (landscape)
//   tsx test/pdf-pages.ts some/file.pdf 2       any PDF, e.g. one downloaded from a running Accord
//
// Options: --res 60 (dots per inch), --out test-results/pdf-pages. The PDF is written beside the PNGs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { comparisonView } from '../server/text/compare-view.js';
import type { DocumentRecord, RevisionRecord } from '../server/documents/model.js';
import { compareRevisions } from '../server/text/redline.js';
import { translate } from '../server/i18n/index.js';
import { loadPdfAssets } from '../server/pdf/assets.js';
import { renderCommentsSummaryPdf } from '../server/pdf/comments-summary.js';
import { pdfBuffer } from '../server/pdf/document.js';
import { renderRedlinePdf } from '../server/pdf/redline.js';
import { renderStandardPdf } from '../server/pdf/standard.js';
import { standardPdfView } from '../server/pdf/standard-view.js';
import { SAMPLE_DATE, sampleClauses, sampleSource, sampleView } from './unit/pdf/sample.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const [kind = 'draft', pageSpec = ''] = positional;
const scale = Number(option('scale', '3'));
const res = option('res', '60');
const out = path.resolve(option('out', 'test-results/pdf-pages'));

function redline(): Readable {
  const a = sampleClauses(scale);
  const b = a.filter((c) => c.key !== 'x0-example').map((c) => (c.key === 'requirements-general' ? { ...c, body: 'Изделия должны соответствовать требованиям настоящего стандарта и технических условий на изделия конкретных типов.' } : c.key === 'x1-r1' ? { ...c, requirement: { ...c.requirement!, min: 4.75, max: 5.25 } } : c));
  b.splice(b.findIndex((c) => c.key === 'x0-note') + 1, 0, { key: 'new-note', depth: 2, kind: 'note', body: 'Новое примечание: нормы пересчитывают для температуры (25 ± 10) °C.' });
  const cv = comparisonView({
    doc: { _id: 'sample', titles: { ru: 'Микросхемы интегральные. Общие технические требования', en: '' }, currentRevision: 2 } as unknown as DocumentRecord,
    comparison: compareRevisions(a, b), from: { number: 1 } as RevisionRecord, to: { number: 2 } as RevisionRecord,
  }, 'ru');
  return renderRedlinePdf({ lang: 'ru', documentTitle: cv.doc.title, from: 1, to: 2, counts: cv.counts, unchanged: cv.unchanged, rows: cv.rows.map((r) => ({ ...r, kind: r.kind ? translate('ru', `clauses.kind.${r.kind}`) : undefined })), createdAt: SAMPLE_DATE }, loadPdfAssets());
}

function summary(): Readable {
  const comment = (n: number, clause: string) => ({
    mb: n % 2 ? 'RU' : 'BY', number: `${n % 2 ? 'RU' : 'BY'}-${String(n).padStart(3, '0')}`, line: String(20 + n), clause, element: n % 3 ? 'абзац 2' : 'Таблица 1',
    type: (['ge', 'te', 'ed'] as const)[n % 3]!, comment: 'Норма тока потребления завышена по сравнению с ГОСТ 18725; предлагается согласовать её с результатами испытаний 2026 г.',
    proposedChange: 'Заменить «не более 25 мА» на «не более 20 мА».', disposition: (['accepted', 'rejected', 'partiallyAccepted', 'noted', 'referred'] as const)[n % 5],
    observations: n % 5 === 1 ? 'Норма подтверждена испытаниями.' : undefined,
  });
  let n = 0;
  const groups = ['', '1', '4.2', '4.3.1', 'Приложение А'].map((clause) => ({ clause, heading: clause === '4.2' ? 'Основные параметры и характеристики' : undefined, comments: Array.from({ length: clause === '4.2' ? 14 : 3 }, () => comment(++n, clause)) }));
  return renderCommentsSummaryPdf({ lang: 'ru', documentTitle: 'Микросхемы интегральные. Общие технические требования', revision: 2, stage: '30.60', groups, createdAt: SAMPLE_DATE }, loadPdfAssets());
}

function table(): Readable {
  const rows = Array.from({ length: 2000 }, (_, i) => [`Параметр № ${i + 1}`, `${(i * 0.37).toFixed(2)}`, i % 7 === 0 ? 'Длинное примечание к строке, которое переносится на вторую строку ячейки.' : '—']);
  return renderStandardPdf(standardPdfView({ ...sampleSource(), clauses: [
    { key: 'a', depth: 0, kind: 'section', heading: 'Таблица параметров' },
    { key: 't', depth: 1, kind: 'table', table: { caption: 'Все параметры', header: ['Наименование параметра', 'Норма', 'Примечание'], rows } },
  ] }), loadPdfAssets());
}

async function bytesOf(what: string): Promise<Buffer> {
  if (what.endsWith('.pdf')) return readFileSync(what);
  if (what === 'draft') return pdfBuffer(renderStandardPdf(sampleView({ scale }), loadPdfAssets()));
  if (what === 'published') return pdfBuffer(renderStandardPdf(sampleView({ scale, published: true }), loadPdfAssets()));
  if (what === 'redline') return pdfBuffer(redline());
  if (what === 'summary') return pdfBuffer(summary());
  if (what === 'table') return pdfBuffer(table());
  throw new Error(`unknown kind "${what}": draft, published, redline, summary, table or a .pdf file`);
}

const bytes = await bytesOf(kind);
mkdirSync(out, { recursive: true });
const name = path.basename(kind, '.pdf');
const pdfPath = path.join(out, `${name}.pdf`);
writeFileSync(pdfPath, bytes);
const total = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))![1]);
const wanted = pageSpec ? pageSpec.split(',').flatMap((part) => {
  const [a, b] = part.split('-').map(Number);
  return Array.from({ length: (b ?? a!) - a! + 1 }, (_, i) => a! + i);
}).filter((p) => p >= 1 && p <= total) : Array.from({ length: total }, (_, i) => i + 1);
for (const p of wanted) {
  const png = path.join(out, `${name}-${String(p).padStart(3, '0')}`);
  execFileSync('pdftoppm', ['-png', '-r', res, '-f', String(p), '-l', String(p), '-singlefile', pdfPath, png]);
  console.log(`${png}.png`);
}
console.log(`${pdfPath}: ${total} pages`);
