// The act of a systematic review («акт проверки», GOST 1.2; docs/review.md) as a PDF (server/pdf/review-act.ts),
// stored in GridFS (bucket 'reviewacts', as the meetings' minutes are) and read back for download.
import { createHash } from 'node:crypto';
import { mongoose } from '../db/mongoose.js';
import type { DocumentRecord } from '../documents/index.js';
import { translate, type Locale } from '../i18n/index.js';
import type { PdfAssets } from '../pdf/assets.js';
import { pdfBuffer } from '../pdf/document.js';
import { renderReviewActPdf, type ReviewActView } from '../pdf/review-act.js';
import type { Day } from '../time/days.js';
import { dayOf } from '../time/days.js';
import { formatDay, formatInstant } from '../time/format.js';
import type { ReviewRecord } from './model.js';

export const actBucket = 'reviewacts';

function bucket() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('the database is not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: actBucket });
}

const sentence = (s: string) => s.charAt(0).toLocaleUpperCase('ru') + s.slice(1);

/** What the act says of the follow-up, in words. */
export function followUpText(r: Pick<ReviewRecord, 'outcome' | 'followUp'>, locale: Locale): string {
  const t = (k: string, p: Record<string, unknown> = {}) => translate(locale, k, p);
  const f = r.followUp ?? {};
  const next = f.nextReview ? t('review.followUp.nextReview', { date: formatDay(f.nextReview as Day, locale) }) : '';
  switch (r.outcome) {
    case 'revise': return [t('review.followUp.revise'), next].filter(Boolean).join(' ');
    case 'withdraw': return t('review.followUp.withdraw', { date: f.withdrawnOn ? formatDay(f.withdrawnOn as Day, locale) : '' });
    case 'amend': return [t('review.followUp.amend'), next].filter(Boolean).join(' ');
    default: return [t('review.followUp.confirm'), next].filter(Boolean).join(' ');
  }
}

export function actView(r: ReviewRecord, doc: Pick<DocumentRecord, 'titles'>, locale: Locale, now: Date): ReviewActView {
  const t = (k: string, p: Record<string, unknown> = {}) => translate(locale, k, p);
  return {
    lang: locale,
    heading: t('review.actTitle'),
    designation: r.designation,
    title: doc.titles[locale] || doc.titles.ru,
    facts: [
      { label: t('review.act.number'), value: String(r.number) },
      { label: t('review.act.period'), value: `${formatInstant(r.openedAt, locale)} — ${formatInstant(r.closedAt ?? r.closesAt, locale)}` },
      { label: t('review.act.date'), value: formatDay(dayOf(r.decidedAt ?? now), locale) },
      { label: t('review.act.secretariat'), value: r.decidedByName ?? '' },
    ],
    labels: { answers: t('review.act.answers'), outcome: t('review.act.outcome'), followUp: t('review.act.followUp'), reason: t('review.reason'), noAnswer: t('review.noAnswer'), page: (n, m) => t('meetings.pageOf', { n, m }) },
    answers: (r.delegations.length ? r.delegations : r.answers.map((a) => a.delegation)).map((d) => {
      const a = r.answers.find((x) => x.delegation === d);
      return { delegation: t('meetings.delegation', { code: d }), answer: a && t(`review.answer.${a.answer}`), reason: a?.reason, byName: a?.byName };
    }),
    // The outcome's words are made to follow a lead («Итог: стандарт подтверждён»); alone in its paragraph it starts a sentence.
    outcome: r.agreed ? sentence(t(`review.outcome.${r.outcome}`)) : `${t('review.disagreementHeading')} ${t('review.decisionLead')}: ${t(`review.outcome.${r.outcome}`)}`,
    decisionReason: r.decisionReason ?? undefined,
    followUp: followUpText(r, locale),
    createdAt: now,
  };
}

/** Renders the act (in the committee's language, Russian) and stores it; gives what the review records of it. */
export async function storeAct(r: ReviewRecord, doc: Pick<DocumentRecord, 'titles'>, now: Date, assets: PdfAssets): Promise<NonNullable<ReviewRecord['act']>> {
  const bytes = await pdfBuffer(renderReviewActPdf(actView(r, doc, 'ru', now), assets));
  const fileId = new mongoose.Types.ObjectId();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const upload = bucket().openUploadStreamWithId(fileId, `review-${r.document}-${r.number}.pdf`, { metadata: { document: r.document, review: r._id, sha256, contentType: 'application/pdf' } });
  await new Promise<void>((resolve, reject) => {
    upload.once('finish', () => resolve());
    upload.once('error', reject);
    upload.end(bytes);
  });
  return { fileId, at: now, sha256, size: bytes.length };
}

export async function readAct(fileId: mongoose.Types.ObjectId): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of bucket().openDownloadStream(fileId)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
