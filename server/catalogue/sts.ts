// A published standard as NISO STS XML (docs/sts.md): front matter with std-meta (titles in Russian and
// English, the designation as std-ident and std-ref, publication and entry-into-force dates per country,
// ICS), then the body and back matter of its published revision (sts-body.ts). Built with xmlbuilder2.
import { create } from 'xmlbuilder2';
import type { Clause } from '../text/clauses.js';
import { dayOf } from '../time/days.js';
import type { CatalogueEntry } from './catalogue.js';
import { stsClauses, TBX_NS } from './sts-body.js';

export const STS_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** «Микросхемы интегральные. Общие технические требования» → intro (the group) and main (the rest). */
function titleParts(title: string): { intro?: string; main: string } {
  const at = title.indexOf('. ');
  return at > 0 ? { intro: title.slice(0, at), main: title.slice(at + 2) } : { main: title };
}

/** «СТ СГ 12-2027»: the originator (prefix), the number and the year. */
function identOf(designation: string): { originator: string; number: string; year?: string } {
  const m = /^(.*\S)\s+(\d+)\s*[-—–]\s*(\d{4})$/.exec(designation);
  return m ? { originator: m[1]!, number: m[2]!, year: m[3]! } : { originator: designation, number: designation };
}

export interface StsSource {
  entry: CatalogueEntry;
  clauses: readonly Clause[];
  /** The publication's page (its verification page) and the PDF's address. */
  links: { pdf: string; verify: string };
}

function stdMeta(front: ReturnType<ReturnType<typeof create>['ele']>, src: StsSource): void {
  const { entry } = src;
  const meta = front.ele('std-meta');
  for (const lang of ['ru', 'en'] as const) {
    const title = entry.titles[lang];
    if (!title) continue;
    const wrap = meta.ele('title-wrap', { 'xml:lang': lang });
    const parts = titleParts(title);
    if (parts.intro) wrap.ele('intro').txt(parts.intro);
    wrap.ele('main').txt(parts.main);
    wrap.ele('full').txt(title);
  }
  const ident = identOf(entry.designation);
  const stdIdent = meta.ele('std-ident');
  stdIdent.ele('originator').txt(ident.originator);
  stdIdent.ele('doc-type').txt('standard');
  stdIdent.ele('doc-number').txt(ident.number);
  stdIdent.ele('edition').txt(String(entry.revision));
  if (ident.year) stdIdent.ele('version').txt(ident.year);
  meta.ele('content-language').txt('ru');
  meta.ele('std-ref', { type: 'dated' }).txt(entry.designation);
  meta.ele('std-ref', { type: 'undated' }).txt(ident.year ? `${ident.originator} ${ident.number}` : entry.designation);
  meta.ele('pub-date').txt(dayOf(entry.publishedAt));
  // One date per country (its code, BY or RU): when the standard comes into force there.
  for (const e of entry.entryIntoForce) meta.ele('meta-date', { type: 'entry-into-force', 'specific-use': e.country }).txt(e.date);
  if (entry.ics) meta.ele('ics').txt(entry.ics);
  meta.ele('self-uri', { 'xlink:href': src.links.pdf, 'content-type': 'application/pdf' }).txt(`${entry.designation}.pdf`);
  meta.ele('self-uri', { 'xlink:href': src.links.verify, 'content-type': 'verification' }).txt(src.links.verify);
}

/** The XML document of a published standard. */
export function stsXml(src: StsSource): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele('standard', {
    'xmlns:xlink': 'http://www.w3.org/1999/xlink',
    'xmlns:tbx': TBX_NS,
    'dtd-version': '1.2',
    'xml:lang': 'ru',
  });
  stdMeta(root.ele('front'), src);
  const body = root.ele('body');
  let back: ReturnType<typeof root.ele> | undefined;
  stsClauses(src.clauses, { body, back: () => (back ??= root.ele('back')) });
  // Not pretty-printed: indentation would add spaces inside mixed content (a paragraph's text and its references).
  return doc.end();
}
