import assert from 'node:assert/strict';
import { loadPdfAssets } from '../../../server/pdf/assets.js';
import { renderStandardDocx } from '../../../server/docx/standard.js';
import type { StandardPdfView } from '../../../server/pdf/standard-view.js';
import { zipEntry } from '../../helpers/office.js';
import { sampleView } from '../pdf/sample.js';

const { text } = loadPdfAssets();

/** Each paragraph of word/document.xml: its style and its text. */
function paragraphs(xml: string): { style?: string; text: string }[] {
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>|<w:p [^>]*>([\s\S]*?)<\/w:p>/g)].map((m) => {
    const p = m[1] ?? m[2] ?? '';
    return { style: /<w:pStyle w:val="([^"]+)"\/>/.exec(p)?.[1], text: [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('') };
  });
}

/** The headings as the PDF's view numbers them: «4.2 Основные параметры», «Приложение А(обязательное)…». */
const headings = (view: StandardPdfView, depth: number) =>
  view.clauses.filter((c) => c.kind === 'section' && c.depth === depth).map((c) => (c.annexStatus ? `${c.label}${c.annexStatus}${c.heading ?? ''}` : c.unnumbered ? c.heading : `${c.label} ${c.heading}`));

describe('Word copy of a standard', () => {
  it('writes every section as a Word heading with its derived number, in order, at its level', async () => {
    const view = sampleView({ scale: 2 });
    const ps = paragraphs(zipEntry(await renderStandardDocx(view, text), 'word/document.xml'));
    assert.deepEqual(ps.filter((p) => p.style === 'Heading1').map((p) => p.text), headings(view, 0));
    assert.deepEqual(ps.filter((p) => p.style === 'Heading2').map((p) => p.text), headings(view, 1));
  });

  it('prints tables, notes, terms, cross-references and sub- and superscripts of the view', async () => {
    const view = sampleView();
    const xml = zipEntry(await renderStandardDocx(view, text), 'word/document.xml');
    const all = paragraphs(xml).map((p) => p.text);
    assert.ok(all.includes('Таблица 1 — Основные параметры'), 'a captioned table');
    assert.match(xml, /<w:tblHeader\/>/, 'a table header row repeated on every page');
    assert.ok(all.some((t) => t.startsWith('Примечание — ')), 'a note');
    assert.ok(all.some((t) => /^3\.1 интегральная микросхема \(integrated circuit\): /.test(t)), 'a term');
    assert.ok(all.some((t) => t.includes('(см. 4.4)')), 'a cross-reference printed as its number');
    assert.ok(!all.some((t) => t.includes('[?]')), 'no unresolved reference');
    assert.match(xml, /<w:vertAlign w:val="subscript"\/><\/w:rPr><w:t xml:space="preserve">CC<\/w:t>/);
  });

  it('marks a draft in the running header and not a published text, which carries its designation, votes and dates', async () => {
    const draft = await renderStandardDocx(sampleView(), text);
    assert.match(zipEntry(draft, 'word/header1.xml') + zipEntry(draft, 'word/header2.xml'), /ПРОЕКТ \/ DRAFT/);
    const published = await renderStandardDocx(sampleView({ published: true }), text);
    const headers = zipEntry(published, 'word/header1.xml') + zipEntry(published, 'word/header2.xml');
    assert.match(headers, /СТ СГ 12—2027/);
    assert.doesNotMatch(headers, /ПРОЕКТ/);
    const body = paragraphs(zipEntry(published, 'word/document.xml')).map((p) => p.text);
    assert.ok(body.includes('Издание официальное'));
    assert.ok(body.some((t) => t.includes('в Республике Беларусь — с 2028—01—01')));
    assert.ok(!body.some((t) => /ПРОЕКТ/.test(t)));
  });

  it('names PT Serif and PT Sans with their fallbacks and says that Word fills the contents in', async () => {
    const bytes = await renderStandardDocx(sampleView(), text);
    const fonts = zipEntry(bytes, 'word/fontTable.xml');
    assert.match(fonts, /<w:font w:name="PT Serif"><w:altName w:val="Times New Roman"\/><w:charset w:val="CC"\/><w:family w:val="roman"\/>/);
    assert.match(fonts, /<w:font w:name="PT Sans"><w:altName w:val="Arial"\/><w:charset w:val="CC"\/><w:family w:val="swiss"\/>/);
    const xml = zipEntry(bytes, 'word/document.xml');
    assert.match(xml, /TOC \\h \\o &quot;1-2&quot;/);
    assert.ok(xml.includes(text.word.contentsNote));
  });
});
