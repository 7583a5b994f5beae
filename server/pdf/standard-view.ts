// The view model of a standard's PDF: plain data, numbers derived, markup parsed into its AST. Built from a
// revision's clauses by a pure function, so the renderer never sees raw markup and the routes (or the
// publication) only gather the facts.
import type { Day } from '../time/days.js';
import type { Clause } from '../text/clauses.js';
import { parseInline, parseMarkup, type Block, type Inline } from '../text/markup.js';
import { numberClauses, resolveCrossReferences, type Label } from '../text/numbering.js';
import { requirementValueText } from '../text/view-model.js';

export interface PdfClause {
  key: string;
  depth: number;
  kind: Clause['kind'];
  /** As printed: '4.2', 'Приложение А', 'Примечание 2', 'Таблица 1', '[1]'. */
  label?: string;
  annexStatus?: string;
  /** A top-level section without a number (Библиография). */
  unnumbered?: boolean;
  heading?: string;
  blocks?: Block[];
  requirement?: { parameter: string; value: Inline[]; method?: string };
  table?: { caption?: Inline[]; header: Inline[][]; rows: Inline[][][] };
  term?: { ru: string; en?: string; definition: Inline[] };
  reference?: { designation: string; title: string };
}

export interface Vote {
  /** «Республика Беларусь», «Российская Федерация». */
  country: string;
  /** BY, RU. */
  code: string;
  /** The national standards body or delegation, as it signs. */
  body?: string;
  vote: 'approve' | 'disapprove' | 'abstain';
  /** ISO date, e.g. 2027-05-14. */
  date?: string;
}

/**
 * Which columns of the foreword's voting table are printed (country, code, body, vote, date): the
 * standards bodies' column only when some body is named, so that no column stands empty.
 */
export function voteColumns(votes: readonly Vote[]): boolean[] {
  const bodies = votes.some((v) => !!v.body?.trim());
  return [true, true, bodies, true, true];
}

export interface EntryIntoForce { country: string; code: string; date: string }

export interface StandardPdfView {
  /** Committee's name as the cover prints it; the boilerplate's by default. */
  committee?: string;
  /** «СТ СГ 12—2027»; absent while the standard has none. */
  designation?: string;
  /** Published (agreed, numbered): no draft mark, the cover says so. */
  published: boolean;
  revision: number;
  stage: string;
  titles: { ru: string; en: string };
  developer: string;
  ics?: string;
  keywords?: string[];
  /** The revision's date (frozen or last edited) and the publication date, ISO yyyy-mm-dd. */
  revisionDate?: string;
  publicationDate?: string;
  votes?: Vote[];
  /** Protocol of the adopting meeting, «№ 12 от 14 мая 2027 г.». */
  adoption?: string;
  entryIntoForce?: EntryIntoForce[];
  /** The designation of the standard this one supersedes: the foreword says «ВЗАМЕН …» (else «ВВЕДЁН ВПЕРВЫЕ»). */
  replaces?: string;
  /** On a consolidated edition's cover: «Издание (2027 г.) с Изменением № 1» (docs/amendments.md). */
  editionNote?: string;
  /** Link printed as a QR code on a published cover (verification page). */
  verifyUrl?: string;
  /** On a published cover: who signed the file electronically and when (server/publishing/render.ts). */
  signedBy?: string;
  /** Fixed dates for the file's metadata: the same input gives the same bytes. */
  createdAt: Date;
  modifiedAt?: Date;
  clauses: PdfClause[];
  /** Number printed for each cross-referenced key (Label.ref). */
  refs: Record<string, string>;
}

export interface StandardSource {
  titles: { ru: string; en: string };
  developer: string;
  designation?: string | null;
  published: boolean;
  revision: number;
  stage: string;
  ics?: string;
  keywords?: string[];
  /** Committee days «yyyy-mm-dd» (server/time/days.ts). */
  revisionDate?: Day;
  publicationDate?: Day;
  votes?: Vote[];
  adoption?: string;
  entryIntoForce?: EntryIntoForce[];
  replaces?: string;
  editionNote?: string;
  verifyUrl?: string;
  signedBy?: string;
  committee?: string;
  createdAt: Date;
  modifiedAt?: Date;
  clauses: readonly Clause[];
}


/** The clauses as the PDF prints them (numbers derived, markup parsed) and the number of each cross-referenced key. */
export function pdfClauses(source: readonly Clause[], labels: Map<string, Label> = numberClauses(source)): { clauses: PdfClause[]; refs: Record<string, string> } {
  const resolve = resolveCrossReferences(source, 'ru', labels);
  const refs: Record<string, string> = {};
  for (const c of source) {
    const r = resolve(c.key);
    if (r !== undefined) refs[c.key] = r;
  }
  const clauses = source.map((c): PdfClause => {
    const label = labels.get(c.key);
    const v: PdfClause = { key: c.key, depth: c.depth, kind: c.kind, label: label?.text.ru, annexStatus: label?.annexStatus?.ru };
    if (c.unnumbered) v.unnumbered = true;
    if (c.heading) v.heading = c.heading;
    if (c.body) v.blocks = parseMarkup(c.body);
    if (c.requirement) {
      const method = c.requirement.methodKey ? resolve(c.requirement.methodKey) ?? '[?]' : undefined;
      v.requirement = { parameter: c.requirement.parameter, value: parseInline(requirementValueText(c.requirement, 'ru')), method };
    }
    if (c.table) {
      v.table = {
        caption: c.table.caption ? parseInline(c.table.caption) : undefined,
        header: c.table.header.map((h) => parseInline(h)),
        rows: c.table.rows.map((row) => row.map((cell) => parseInline(cell))),
      };
    }
    if (c.term) v.term = { ru: c.term.ru, en: c.term.en, definition: parseInline(c.term.definition) };
    if (c.reference) v.reference = { designation: c.reference.designation, title: c.reference.title };
    return v;
  });
  return { clauses, refs };
}

/** Everything the standard's PDF prints, in Russian (the language of the agreed text). */
export function standardPdfView(src: StandardSource): StandardPdfView {
  const { clauses, refs } = pdfClauses(src.clauses);
  return {
    committee: src.committee,
    designation: src.designation ?? undefined,
    published: src.published,
    revision: src.revision,
    stage: src.stage,
    titles: src.titles,
    developer: src.developer,
    ics: src.ics,
    keywords: src.keywords,
    revisionDate: src.revisionDate,
    publicationDate: src.publicationDate,
    votes: src.votes,
    adoption: src.adoption,
    entryIntoForce: src.entryIntoForce,
    replaces: src.replaces,
    editionNote: src.editionNote,
    verifyUrl: src.verifyUrl,
    signedBy: src.signedBy,
    createdAt: src.createdAt,
    modifiedAt: src.modifiedAt,
    clauses,
    refs,
  };
}
