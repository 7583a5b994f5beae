// The disposition report of a document (docs/answers.md, "The disposition report"): every released comment
// of every round, round by round in the summary's order, with its disposition and the ones before it, the
// delegation's answer, and where its change was applied — the summary of comments of GOST 1.2, Annex A,
// with its history. Read by the committee as the summary is: released comments only, no internal replies.
import type { CurrentUser } from '../auth/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { getRevision } from '../documents/index.js';
import { translate, type Locale } from '../i18n/index.js';
import { numberClauses } from '../text/numbering.js';
import { parseDay } from '../time/days.js';
import { formatDay, formatInstant } from '../time/format.js';
import type { Disposition } from './model.js';
import { summaryOfComments } from './queries.js';

export interface ReportDisposition {
  decision: Disposition['decision'];
  reason?: string;
  observation?: string;
  byName: string;
  at: Date;
  atText: string;
  /** «decided at the meeting of 02.12.2026», when a meeting decided it. */
  meetingText?: string;
  /** The meeting that decided it (server/meetings) and its day «yyyy-mm-dd», for the JSON API. */
  meeting?: { id: string; day: string };
}

const dispositionOf = (d: Disposition, locale: Locale): ReportDisposition => {
  const day = d.meeting?.day ? parseDay(d.meeting.day) : undefined;
  return {
    decision: d.decision,
    reason: d.reason || undefined,
    observation: d.observation || undefined,
    byName: d.byName,
    at: d.at,
    atText: formatInstant(d.at, locale),
    meetingText: day ? translate(locale, 'report.atMeeting', { day: formatDay(day, locale) }) : undefined,
    meeting: d.meeting?.day ? { id: String(d.meeting.id), day: d.meeting.day } : undefined,
  };
};

/** Everything the report shows, for the page and the PDF alike. */
export async function dispositionReport(actor: CurrentUser, doc: DocumentRecord, locale: Locale) {
  // Each revision a change was applied in is read and numbered once.
  const numbered = new Map<number, Promise<Map<string, { text: Record<Locale, string> }>>>();
  const labelIn = async (revision: number, key: string) => {
    if (!numbered.has(revision)) numbered.set(revision, getRevision(doc, revision).then((r) => numberClauses(r.clauses)).catch(() => new Map()));
    const label = (await numbered.get(revision)!).get(key)?.text[locale] ?? key;
    // «пункт 4.2», but an annex names itself («Приложение А»), as the summary PDF writes its groups.
    return /^[\dА-ЯA-Z](\.|$)/u.test(label) ? translate(locale, 'report.clause', { label }) : label;
  };
  const rounds = [];
  for (let round = 1; round <= doc.round; round++) {
    const rows = await summaryOfComments(doc, { round }, locale, actor);
    const comments = [];
    for (const c of rows) {
      const d = c.disposition;
      const applied = d?.appliedInRevision
        ? d.appliedClauseKey
          ? {
              revision: d.appliedInRevision,
              clauseKey: d.appliedClauseKey,
              clause: await labelIn(d.appliedInRevision, d.appliedClauseKey),
              // The redline from the text commented on to the revision changed, at the clause (docs/applying-changes.md).
              href: `/documents/${doc._id}/compare?from=${c.revision}&to=${d.appliedInRevision}#clause-${d.appliedClauseKey}`,
            }
          : { revision: d.appliedInRevision }
        : undefined;
      comments.push({
        id: c.id,
        number: c.number ?? '—',
        delegation: c.delegation,
        revision: c.revision,
        clauseLabel: c.clauseLabel,
        clauseHeading: c.clauseHeading,
        type: c.type,
        text: c.text,
        proposedChange: c.proposedChange,
        disposition: d ? dispositionOf(d, locale) : undefined,
        earlier: (c.earlierDispositions ?? []).map((e) => dispositionOf(e, locale)),
        answer: c.answer ? { agreed: c.answer.agreed, reason: c.answer.reason ?? undefined, byName: c.answer.byName, at: c.answer.at, atText: formatInstant(c.answer.at, locale) } : undefined,
        applied,
        appliedText: applied ? ('clause' in applied ? translate(locale, 'report.appliedAt', { revision: applied.revision, clause: applied.clause! }) : translate(locale, 'report.appliedInRevision', { revision: applied.revision })) : undefined,
      });
    }
    const revisions = [...new Set(comments.map((c) => c.revision))].sort((a, b) => a - b);
    rounds.push({ round, revisions: revisions.join(', '), count: comments.length, comments });
  }
  return { rounds, total: rounds.reduce((n, r) => n + r.count, 0) };
}

export type DispositionReport = Awaited<ReturnType<typeof dispositionReport>>;
