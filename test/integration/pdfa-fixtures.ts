// Every kind of PDF Accord renders, for the veraPDF test (pdfa.test.ts): each demo document as a draft
// and as a published standard, the redline and the summary of comments of the demo's comment round, and
// the limits (a table of 2 000 rows, a clause of 50 000 characters) as published standards.
import type { Readable } from 'node:stream';
import { demoDocuments, revisionTexts } from '../../server/demo/content.js';
import type { DemoDocument } from '../../server/demo/build.js';
import { loadTemplates, templatesDir, type Template } from '../../server/documents/index.js';
import { translate } from '../../server/i18n/index.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { renderCommentsSummaryPdf, type CommentsSummaryView } from '../../server/pdf/comments-summary.js';
import { pdfBuffer } from '../../server/pdf/document.js';
import { renderRedlinePdf } from '../../server/pdf/redline.js';
import { renderStandardPdf } from '../../server/pdf/standard.js';
import { standardPdfView, type StandardSource } from '../../server/pdf/standard-view.js';
import type { Clause } from '../../server/text/clauses.js';
import { comparisonView } from '../../server/text/compare-view.js';
import { COMMITTEE_REPERTOIRE } from '../../server/pdf/glyphs.js';
import { compareRevisions } from '../../server/text/redline.js';
import type { DocumentRecord, RevisionRecord } from '../../server/documents/model.js';
import { SAMPLE_DATE, sampleSource } from '../unit/pdf/sample.js';

/** published: a published standard (PDF/A and PDF/UA); the others need PDF/A only. */
export type PdfKind = 'published' | 'draft' | 'redline' | 'summary';
export interface PdfFixture { name: string; kind: PdfKind; render: () => Readable }

const assets = loadPdfAssets();

function demoSource(d: DemoDocument, clauses: readonly Clause[], published: boolean): StandardSource {
  return {
    ...sampleSource({ published }),
    titles: { ru: d.details.titleRu, en: d.details.titleEn },
    developer: d.details.developer,
    ics: d.details.ics,
    keywords: undefined,
    clauses,
  };
}

function redline(d: DemoDocument, a: readonly Clause[], b: readonly Clause[]): PdfFixture {
  const cv = comparisonView({
    doc: { _id: d.slug, titles: { ru: d.details.titleRu, en: d.details.titleEn }, currentRevision: 2 } as unknown as DocumentRecord,
    comparison: compareRevisions(a, b),
    from: { number: 1 } as RevisionRecord,
    to: { number: 2 } as RevisionRecord,
  }, 'ru');
  const view = {
    lang: 'ru' as const, documentTitle: d.details.titleRu, from: 1, to: 2, counts: cv.counts, unchanged: cv.unchanged,
    rows: cv.rows.map((r) => ({ ...r, kind: r.kind ? translate('ru', `clauses.kind.${r.kind}`) : undefined })),
    createdAt: SAMPLE_DATE,
  };
  return { name: `${d.slug}-redline`, kind: 'redline', render: () => renderRedlinePdf(view, assets) };
}

function summary(d: DemoDocument): PdfFixture {
  const comment = (i: number, clause: string) => ({
    mb: i % 2 ? 'RU' : 'BY', number: `BY-${String(i + 1).padStart(3, '0')}`, line: String(i + 3), clause, element: 'абзац 1',
    type: (['ge', 'te', 'ed'] as const)[i % 3]!,
    // A character no font has (an emoji typed into a comment) prints as a replacement, not as .notdef.
    comment: `Замечание ${i + 1} к пункту ${clause || '—'}: уточнить норму (± 5 %, ≤ 25 °C)${i === 0 ? ' 😀' : ''}.`,
    proposedChange: 'Заменить «не более 25» на «не более 20».', disposition: (['accepted', 'rejected', 'noted'] as const)[i % 3],
  });
  const view: CommentsSummaryView = {
    lang: 'ru', documentTitle: d.details.titleRu, revision: 1, stage: '30.60', createdAt: SAMPLE_DATE,
    groups: ['', '4.1', 'Приложение А'].map((clause, g) => ({ clause, heading: clause ? 'Требования' : undefined, comments: Array.from({ length: 12 }, (_, i) => comment(g * 12 + i, clause)) })),
  };
  return { name: `${d.slug}-summary`, kind: 'summary', render: () => renderCommentsSummaryPdf(view, assets) };
}

/** The limits of issue 7 as published standards. */
function limits(): PdfFixture[] {
  const words = Array.from({ length: 5200 }, (_, i) => ['изделия', 'должны', 'соответствовать', 'требованиям', 'настоящего', 'стандарта'][i % 6]).join(' ');
  const long = `${words.slice(0, 44_000)} ${'Ж'.repeat(5000)} КОНЕЦПУНКТА`;
  const rows = Array.from({ length: 2000 }, (_, i) => [`Параметр № ${i + 1}`, `${(i * 0.37).toFixed(2)}`, i % 7 === 0 ? 'Длинное примечание к строке, которое переносится на вторую строку ячейки.' : '—']);
  const view = (clauses: Clause[]) => standardPdfView({ ...sampleSource({ published: true }), clauses });
  return [
    { name: 'limits-long-clause', kind: 'published', render: () => renderStandardPdf(view([{ key: 'a', depth: 0, kind: 'section', heading: 'Длинный пункт' }, { key: 'b', depth: 1, kind: 'text', body: long }]), assets) },
    { name: 'limits-2000-rows', kind: 'published', render: () => renderStandardPdf(view([{ key: 'a', depth: 0, kind: 'section', heading: 'Таблица параметров' }, { key: 't', depth: 1, kind: 'table', table: { caption: 'Все параметры', header: ['Наименование параметра', 'Норма', 'Примечание'], rows } }]), assets) },
  ];
}

export async function pdfFixtures(): Promise<PdfFixture[]> {
  const templates: Template[] = await loadTemplates(templatesDir);
  const out: PdfFixture[] = [];
  for (const d of demoDocuments) {
    const revisions = revisionTexts(d, templates);
    const last = revisions[revisions.length - 1]!;
    out.push({ name: `${d.slug}-draft`, kind: 'draft', render: () => renderStandardPdf(standardPdfView(demoSource(d, revisions[0]!, false)), assets) });
    out.push({ name: `${d.slug}-published`, kind: 'published', render: () => renderStandardPdf(standardPdfView(demoSource(d, last, true)), assets) });
    if (revisions.length > 1) out.push(redline(d, revisions[0]!, last), summary(d));
  }
  const sample = sampleSource({ scale: 3, published: true });
  const repertoire: Clause = { key: 'repertoire', depth: 1, kind: 'text', body: `Знаки: ${COMMITTEE_REPERTOIRE}` };
  out.push({ name: 'sample-published', kind: 'published', render: () => renderStandardPdf(standardPdfView({ ...sample, clauses: [...sample.clauses, repertoire] }), assets) });
  return [...out, ...limits()];
}

export const render = (f: PdfFixture): Promise<Buffer> => pdfBuffer(f.render());
