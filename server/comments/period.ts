import type { Logger } from 'pino';
import { Conflict } from '../errors.js';
import { listDelegations } from '../delegations/service.js';
import type { DocumentRecord } from '../documents/index.js';
import { documentsInState } from '../documents/index.js';
import type { Lifecycle, Listener } from '../lifecycle/index.js';
import type { Notices } from '../notices/index.js';
import { noticeRecipients } from '../users/service.js';
import { NationalPosition } from './model.js';

const day = 86400_000;
/** Reminders go out this many days before the deadline to delegations that have not released. */
export const reminderDays = [7, 1] as const;

async function activeDelegations() {
  return (await listDelegations()).filter((d) => d.active);
}

/** Members and heads of every delegation hear when a period opens and when it closes. */
export function periodNotices(notices: Notices): Listener {
  return {
    name: 'comment-period-notices',
    onMove({ name, after }) {
      const kind = name === 'circulate' ? 'periodOpened' : name === 'closeComments' || name === 'commentDeadline' ? 'periodClosed' : null;
      if (!kind) return;
      notices.inBackground(
        (async () => {
          const delegations = await activeDelegations();
          const to = await noticeRecipients({ roles: ['head', 'member'], delegationIds: delegations.map((d) => d._id) }, kind);
          const closesAt = after.commentPeriod?.closesAt ?? '';
          await notices.send({ key: `${kind}:${after._id}:${after.round}`, kind, to, params: { title: after.titles.ru, closesAt, revision: after.currentRevision }, link: `/documents/${after._id}` });
        })(),
      );
    },
  };
}

/**
 * What the scheduled job does every minute: closes comment periods whose deadline has passed and sends
 * the reminders that are due. Safe to run on several instances at once: the transition is conditional
 * and every reminder is recorded before it is sent.
 */
export async function sweepCommentPeriods(deps: { lifecycle: Lifecycle; notices: Notices; logger?: Logger }, now: Date): Promise<{ closed: number; reminders: number }> {
  const open = await documentsInState('comment', { titles: 1, round: 1, commentPeriod: 1, currentRevision: 1, state: 1 });
  let closed = 0;
  let reminders = 0;
  for (const doc of open) {
    const period = doc.commentPeriod;
    if (!period) continue;
    if (period.closesAt.getTime() <= now.getTime()) {
      try {
        await deps.lifecycle.move(null, String(doc._id), 'commentDeadline', { now });
        closed++;
      } catch (err) {
        if (!(err instanceof Conflict)) deps.logger?.error({ err, document: String(doc._id) }, 'closing a comment period failed');
      }
      continue;
    }
    for (const days of reminderDays) {
      const due = period.closesAt.getTime() - days * day;
      // Only when the period was long enough for the reminder to mean something.
      if (now.getTime() < due || period.opensAt.getTime() > due) continue;
      reminders += await remindUnreleased(deps.notices, doc, days);
    }
  }
  return { closed, reminders };
}

async function remindUnreleased(notices: Notices, doc: Pick<DocumentRecord, '_id' | 'round' | 'titles' | 'commentPeriod'>, days: number): Promise<number> {
  let sent = 0;
  for (const d of await activeDelegations()) {
    const released = await NationalPosition.exists({ document: doc._id, round: doc.round, delegation: d.code, numbered: true });
    if (released) continue;
    const to = await noticeRecipients({ roles: ['head', 'member'], delegationIds: [d._id] }, 'reminder');
    sent += await notices.send({
      key: `reminder${days}:${doc._id}:${doc.round}:${d.code}`,
      kind: 'reminder',
      to,
      params: { title: doc.titles.ru, closesAt: doc.commentPeriod!.closesAt, count: days },
      link: `/documents/${doc._id}/comments`,
    });
  }
  return sent;
}
