// Downloads of a revision and of a redline as PDF, rendered on demand and streamed into the response.
// Visibility is the document page's: getDocument answers "not found" to whoever may not see it.
// The published revision is not rendered here: it redirects to its stored file (server/publishing).
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { anyone } from '../auth/index.js';
import { NotFound } from '../errors.js';
import { sendAsAttachment } from '../http/attachment.js';
import { route, type RouteDef } from '../http/route-table.js';
import { translate, type Locale } from '../i18n/index.js';
import { loadPdfAssets, type PdfAssets } from '../pdf/assets.js';
import { renderRedlinePdf, type RedlinePdfView } from '../pdf/redline.js';
import { renderStandardPdf } from '../pdf/standard.js';
import { renderAmendmentPdf } from '../pdf/amendment.js';
import { changeInstruction, clausePlainText } from '../text/amendment.js';
import { amendmentChangesOf } from './editions.js';
import { standardPdfView, type StandardPdfView } from '../pdf/standard-view.js';
import { dayOf } from '../time/days.js';
import { comparisonView } from '../text/compare-view.js';
import type { DocumentRecord, RevisionRecord } from './model.js';
import { amendedDesignation, checkRevisionVisible, compare, getDocument, getRevision, messages, seesDrafts, supersededDesignation } from './index.js';
import type { AppliedCommentsOf } from './pages.js';

export interface PdfRouteDeps {
  /** Fonts and boilerplate; read from templates/pdf and the font packages when not given. */
  assets?: PdfAssets;
  /** The comments applied to the revisions compared, named at the redline's changed clauses (docs/applying-changes.md). */
  appliedComments?: AppliedCommentsOf;
}

const revisionNumber = z.string().regex(/^[1-9]\d{0,5}$/);
const compareQuery = z.object({ from: revisionNumber.optional(), to: revisionNumber.optional() });

/** The revision whose agreed PDF is stored (server/publishing): it is served from storage, never re-rendered. */
function isPublished(doc: DocumentRecord, rev: Pick<RevisionRecord, 'number'>): boolean {
  return !!doc.publication?.fileId && rev.number === doc.publication.revision;
}

/** When the revision last changed: its file dates, so the same revision always gives the same bytes. */
const revisionDate = (rev: RevisionRecord) => rev.frozenAt ?? rev.updatedAt ?? rev.createdAt;

/** «СТ СГ 12—2027.pdf», or «Микросхемы интегральные, редакция 2.pdf» for a draft; no path characters. */
export function pdfFileName(base: string, suffix = '', extension = 'pdf'): string {
  const clean = `${base}${suffix}`.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${clean || 'document'}.${extension}`;
}

/** The name of a revision's file before its extension: «Микросхемы интегральные, редакция 2». */
export const revisionFileBase = (doc: DocumentRecord, rev: Pick<RevisionRecord, 'number'>) => `${doc.titles.ru.split('. ')[0]}, редакция ${rev.number}`;

/**
 * The standard's view model of a revision the user may see (the PDF's and the Word copy's), or undefined
 * for the published revision, whose copies are the publication's (server/publishing).
 */
export async function visibleRevisionView(user: Request['user'], doc: DocumentRecord, number: string): Promise<{ view: StandardPdfView; rev: RevisionRecord } | undefined> {
  const n = revisionNumber.safeParse(number);
  if (!n.success) throw new NotFound(messages.revisionNotFound);
  if (isPublished(doc, { number: Number(n.data) })) return undefined;
  checkRevisionVisible(user, doc, Number(n.data));
  const rev = await getRevision(doc, Number(n.data));
  const date = revisionDate(rev);
  const view = standardPdfView({
    titles: doc.titles,
    developer: doc.developer,
    designation: doc.designation,
    published: false,
    revision: rev.number,
    stage: rev.number === doc.currentRevision ? doc.stage : '—',
    ics: doc.ics,
    revisionDate: dayOf(date),
    replaces: await supersededDesignation(doc),
    createdAt: date,
    clauses: rev.clauses,
  });
  return { view, rev };
}

async function send(res: Response, stream: Readable, fileName: string): Promise<void> {
  sendAsAttachment(res, fileName, 'application/pdf');
  res.setHeader('Cache-Control', 'private, no-store');
  try {
    await pipeline(stream, res);
  } catch (err) {
    // Once bytes have gone out there is no error page to send; a reader who left is not an error.
    if (!res.headersSent) throw err;
    res.destroy();
  }
}

const id = (req: Request) => String(req.params.id);

export function documentPdfRoutes(deps: PdfRouteDeps = {}): RouteDef[] {
  const assets = deps.assets ?? loadPdfAssets();

  return [
    route('get', '/documents/:id/revisions/:number/pdf', anyone, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      const found = await visibleRevisionView(req.user, doc, String(req.params.number));
      if (!found) return res.redirect(302, `/catalogue/${doc._id}/pdf`);
      // An amendment's revision prints in the form of an amendment, marked as a draft (docs/amendments.md).
      if (doc.amends) return send(res, renderAmendmentPdf(await amendmentDraftView(doc, found.rev, assets.text.draftMark), assets), pdfFileName(revisionFileBase(doc, found.rev)));
      await send(res, renderStandardPdf(found.view, assets), pdfFileName(revisionFileBase(doc, found.rev)));
    }),

    route('get', '/documents/:id/compare/pdf', anyone, async (req, res) => {
      const doc = await getDocument(req.user, id(req));
      const q = compareQuery.safeParse(req.query);
      if (!q.success) throw new NotFound(messages.revisionNotFound);
      const to = Number(q.data.to ?? doc.currentRevision);
      const from = Number(q.data.from ?? Math.max(1, to - 1));
      const locale: Locale = res.locals.locale;
      const result = await compare(req.user, id(req), from, to);
      const cv = comparisonView(result, locale);
      // The committee's comments are named to the committee only.
      const applied = deps.appliedComments && seesDrafts(req.user) ? await deps.appliedComments(doc, from, to) : undefined;
      const view: RedlinePdfView = {
        lang: locale,
        documentTitle: doc.titles[locale] || doc.titles.ru,
        designation: doc.designation ?? undefined,
        from,
        to,
        counts: cv.counts,
        unchanged: cv.unchanged,
        rows: cv.rows.map((r) => {
          const by = applied?.get(r.key);
          return { ...r, kind: r.kind ? translate(locale, `clauses.kind.${r.kind}`) : undefined, comments: by?.length ? `${translate(locale, 'apply.changedBy', { count: by.length })} ${by.map((c) => c.number ?? '—').join(', ')}` : undefined };
        }),
        createdAt: new Date(Math.max(revisionDate(result.from).getTime(), revisionDate(result.to).getTime())),
      };
      const base = `${doc.designation ?? doc.titles.ru.split('. ')[0]}, ${from}-${to}`;
      await send(res, renderRedlinePdf(view, assets), pdfFileName(base, locale === 'en' ? ' (comparison)' : ' (сравнение)'));
    }),
  ];
}

/** An amendment's draft revision in the form of an amendment: its changes to the standard, no number yet. */
export async function amendmentDraftView(doc: DocumentRecord, rev: RevisionRecord, draftMark: string) {
  const { amended, changes } = await amendmentChangesOf(doc, rev);
  const standard = (await amendedDesignation(doc)) ?? '';
  return {
    designation: translate('ru', 'amendments.pdf.draftTitle', { designation: standard }),
    standard: { designation: standard, titles: { ru: doc.titles.ru.replace(/^Изменение к [^.]*\.\s*/, ''), en: doc.titles.en.replace(/^Amendment to [^.]*\.\s*/, '') } },
    committee: translate('ru', 'amendments.pdf.committee'),
    adopted: translate('ru', 'amendments.pdf.draftAdopted'),
    entryIntoForce: [],
    labels: { entryIntoForce: translate('ru', 'amendments.pdf.entryIntoForce'), page: (n: number, m: number) => translate('ru', 'amendments.pdf.page', { n, m }) },
    changes: changes.map((c) => ({ instruction: changeInstruction(c), lines: c.type === 'delete' ? [] : clausePlainText(c.clause, amended) })),
    draftMark,
    createdAt: revisionDate(rev),
  };
}

