// The minutes of a meeting as a PDF (server/pdf/minutes.ts), stored with the meeting in GridFS (bucket
// 'minutes'; one file per version of the minutes, the meeting names the newest) and read back for download.
import { createHash } from 'node:crypto';
import { translate, type Locale } from '../i18n/index.js';
import { mongoose } from '../db/mongoose.js';
import { pdfBuffer } from '../pdf/document.js';
import { renderMinutesPdf, type MinutesView } from '../pdf/minutes.js';
import type { PdfAssets } from '../pdf/assets.js';
import { formatInstant } from '../time/format.js';
import type { MeetingRecord } from './model.js';

export const minutesBucket = 'minutes';

function bucket() {
  const db = mongoose.connection.db;
  if (!db) throw new Error('the database is not connected');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: minutesBucket });
}

export function minutesView(m: MeetingRecord, locale: Locale, now: Date): MinutesView {
  const t = (k: string, p: Record<string, unknown> = {}) => translate(locale, k, p);
  const groups = new Map<string, string[]>();
  for (const p of m.participants) {
    const group = p.delegation ? t('meetings.delegation', { code: p.delegation }) : t('meetings.secretariat');
    groups.set(group, [...(groups.get(group) ?? []), p.name]);
  }
  return {
    lang: locale,
    heading: t('meetings.minutesTitle'),
    title: m.title,
    when: formatInstant(m.startsAt, locale),
    where: [m.place, m.link].filter(Boolean).join(' · ') || undefined,
    labels: {
      participants: t('meetings.participants'), guests: t('meetings.guests'), agenda: t('meetings.agenda'), decision: t('meetings.decision'), noDecision: t('meetings.noDecision'),
      page: (n, count) => t('meetings.pageOf', { n, m: count }),
    },
    participants: [...groups].map(([group, names]) => ({ group, names })),
    guests: m.guests,
    items: m.agenda.map((i) => ({
      title: i.title,
      details: i.kind === 'document' && i.details ? t(`meetings.why.${i.details}`) : (i.details ?? undefined),
      decision: i.decision ? [i.decision.disposition ? t(`comments.decision.${i.decision.disposition}`) : '', i.decision.text ?? ''].filter(Boolean).join('. ') : undefined,
    })),
    createdAt: now,
  };
}

/** Renders and stores the minutes; gives what the meeting records of them. */
export async function storeMinutes(m: MeetingRecord, assets: PdfAssets, locale: Locale, now: Date): Promise<NonNullable<MeetingRecord['minutes']>> {
  const bytes = await pdfBuffer(renderMinutesPdf(minutesView(m, locale, now), assets));
  const fileId = new mongoose.Types.ObjectId();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const upload = bucket().openUploadStreamWithId(fileId, `minutes-${m._id}.pdf`, { metadata: { meeting: m._id, sha256, contentType: 'application/pdf' } });
  await new Promise<void>((resolve, reject) => {
    upload.once('finish', () => resolve());
    upload.once('error', reject);
    upload.end(bytes);
  });
  return { fileId, at: now, sha256, size: bytes.length };
}

export async function readMinutes(fileId: mongoose.Types.ObjectId): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of bucket().openDownloadStream(fileId)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
