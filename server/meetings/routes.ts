// The meeting pages (docs/meetings.md): the list, scheduling and editing, the agenda, the invitation, the
// decisions and the minutes. Forms work without JavaScript (post/redirect/get); the committee sees, the
// secretariat edits, anyone else is told the meetings are not found.
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { NotFound, Forbidden, InvalidInput } from '../errors.js';
import { sendAsAttachment } from '../http/attachment.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { optionalText, parseInput, text } from '../http/validate.js';
import type { Locale } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import type { Notices } from '../notices/index.js';
import type { PdfAssets } from '../pdf/assets.js';
import { atCommitteeTime, committeeTimeOf, dayOf, parseDay } from '../time/days.js';
import { formatInstant } from '../time/format.js';
import { invitationCalendar, sendInvitations } from './invitations.js';
import { readMinutes, storeMinutes } from './minutes.js';
import type { MeetingRecord } from './model.js';
import {
  addAllCandidates, addItem, agendaCandidates, cancelMeeting, commentStates, editsMeetings, getMeeting, invitablePeople, listMeetings, markSent, meetingDispositions, messages,
  moveItem, recordDecision, removeItem, saveMinutes, scheduleMeeting, seesMeetings, updateMeeting, type MeetingInput, type NewItem,
} from './service.js';

export interface MeetingDeps {
  mailer: Mailer;
  notices: Notices;
  publicUrl: string;
  mailFrom: string;
  pdfAssets: PdfAssets;
  logger: Logger;
}

/** The committee sees meetings; to anyone else (signed in or not) they do not exist. */
const committee: RequestHandler[] = [(req, _res, next) => next(seesMeetings(req.user) ? undefined : new NotFound(messages.notFound))];
const secretariat: RequestHandler[] = [...committee, (req, _res, next) => next(editsMeetings(req.user) ? undefined : new Forbidden('errors.forbidden'))];

const ids = z.union([z.string().max(40), z.array(z.string().max(40)).max(500)]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const meetingBody = z.strictObject({
  title: text(300),
  day: z.string().trim().max(10),
  time: z.string().trim().max(5),
  durationMinutes: z.coerce.number('meetings.duration').int('meetings.duration').min(15, 'meetings.duration').max(720, 'meetings.duration'),
  place: optionalText(500),
  link: optionalText(1000).refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'meetings.linkFormat'),
  participants: ids,
  guests: optionalText(5000),
  version: z.coerce.number().int().min(0).optional(),
});
const cancelBody = z.strictObject({ note: optionalText(2000) });
const itemBody = z.strictObject({
  kind: z.enum(['comment', 'document', 'other', 'all'], 'validation.choice'),
  ref: z.string().trim().max(40).optional(),
  title: optionalText(2000),
  details: optionalText(10_000),
});
const moveBody = z.strictObject({ direction: z.enum(['up', 'down'], 'validation.choice') });
const decisionBody = z.strictObject({ disposition: z.enum(meetingDispositions, 'meetings.chooseDisposition').optional().or(z.literal('').transform(() => undefined)), text: optionalText(10_000) });

function meetingInput(body: unknown): MeetingInput & { version?: number } {
  const b = parseInput(meetingBody, body);
  const guests = (b.guests ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean).slice(0, 50);
  return { ...meetingAt(b), title: b.title, durationMinutes: b.durationMinutes, place: b.place, link: b.link, participants: b.participants, guests, version: b.version };
}

/** The start of a meeting from its day and time in committee time, each refused in words of its own (pages and API alike). */
export function meetingAt(b: { day: string; time: string }): { startsAt: Date } {
  const day = parseDay(b.day);
  if (!day) throw new InvalidInput('meetings.dayFormat', {}, { day: 'meetings.dayFormat' });
  const startsAt = atCommitteeTime(day, b.time);
  if (!startsAt) throw new InvalidInput('meetings.timeFormat', {}, { time: 'meetings.timeFormat' });
  return { startsAt };
}

const meetingId = (req: Request) => String(req.params.id);

function summary(m: MeetingRecord, locale: Locale) {
  return {
    id: String(m._id), title: m.title, when: formatInstant(m.startsAt, locale), place: m.place, link: m.link, cancelled: m.status === 'cancelled',
    items: m.agenda.length, decided: m.agenda.filter((i) => i.decision).length, participants: m.participants.length, hasMinutes: !!m.minutes,
  };
}

async function formModel(values: Record<string, unknown>, m?: MeetingRecord) {
  const chosen = new Set((values.participants as string[] | undefined) ?? []);
  const groups = (await invitablePeople()).map((g) => ({ ...g, people: g.people.map((p) => ({ ...p, checked: chosen.has(p.id) })) }));
  return { title: m ? 'meetings.editTitle' : 'meetings.newTitle', meeting: m ? { id: String(m._id), title: m.title } : undefined, groups, values };
}

function valuesOf(m: MeetingRecord) {
  return {
    title: m.title, day: dayOf(m.startsAt), time: committeeTimeOf(m.startsAt), durationMinutes: m.durationMinutes, place: m.place ?? '', link: m.link ?? '',
    participants: m.participants.map((p) => String(p.user)), guests: m.guests.join('\n'), version: m.version,
  };
}

/** Keeps the typed choice of participants as a list, whatever the form sent. */
function typed(body: Record<string, unknown>) {
  const p = body?.participants;
  return { ...body, participants: p === undefined ? [] : Array.isArray(p) ? p : [p] };
}

async function meetingPage(req: Request, res: Response, m: MeetingRecord) {
  const locale: Locale = res.locals.locale;
  const edits = editsMeetings(req.user) && m.status === 'scheduled';
  const states = await commentStates(m);
  const candidates = edits ? await agendaCandidates(req.user!, m) : undefined;
  const groups = new Map<string, { name: string; role: string }[]>();
  for (const p of m.participants) {
    const key = p.delegation ?? '';
    groups.set(key, [...(groups.get(key) ?? []), { name: p.name, role: p.role }]);
  }
  return {
    title: 'meetings.meetingTitle',
    meeting: {
      ...summary(m, locale), sequence: m.sequence, sent: m.sentSequence !== null && m.sentSequence !== undefined, sentAt: m.sentAt, outdated: m.sentSequence !== null && m.sentSequence !== undefined && m.sentSequence < m.sequence,
      cancelNote: m.cancelNote, cancelledAt: m.cancelledAt, guests: m.guests, minutesAt: m.minutes?.at, version: m.version,
      groups: [...groups].map(([delegation, people]) => ({ delegation, people })),
      agenda: m.agenda.map((i, n) => ({
        id: String(i._id), n: n + 1, kind: i.kind, title: i.title, details: i.kind === 'document' ? undefined : i.details, why: i.kind === 'document' ? i.details : undefined,
        documentId: i.document ? String(i.document) : undefined, commentId: i.comment ? String(i.comment) : undefined,
        decision: i.decision, current: states.get(String(i._id)), first: n === 0, last: n === m.agenda.length - 1,
        needsDisposition: i.kind === 'comment',
      })),
    },
    edits,
    candidates,
    dispositions: meetingDispositions,
    done: typeof req.query.done === 'string' ? req.query.done : undefined,
  };
}

export function meetingRoutes(deps: MeetingDeps): RouteDef[] {
  const mail = { mailer: deps.mailer, publicUrl: deps.publicUrl, from: deps.mailFrom, logger: deps.logger };

  /** A refused action on the meeting page: the page again, with the reason and what was typed. */
  async function refusedOnPage(req: Request, res: Response, err: unknown) {
    let page;
    try {
      page = await meetingPage(req, res, await getMeeting(req.user, meetingId(req)));
    } catch {
      throw err;
    }
    renderFormError(res, 'meetings/show', err, req.body, page, { failedItem: req.params.itemId });
  }

  /** Runs an action of the meeting page and goes back to it (post/redirect/get). */
  const action = (work: (req: Request) => Promise<unknown>, done: string, anchor = ''): RequestHandler => async (req, res) => {
    await getMeeting(req.user, meetingId(req));
    try {
      await work(req);
      res.redirect(303, `/meetings/${meetingId(req)}?done=${done}${anchor}`);
    } catch (err) {
      await refusedOnPage(req, res, err);
    }
  };

  return [
    route('get', '/meetings', committee, async (req, res) => {
      const locale: Locale = res.locals.locale;
      const meetings = (await listMeetings(req.user)).map((m) => summary(m, locale));
      res.render('meetings/index', { title: 'meetings.listTitle', meetings, canSchedule: editsMeetings(req.user) });
    }),

    route('get', '/meetings/new', secretariat, async (_req, res) => {
      res.render('meetings/form', await formModel({ durationMinutes: 120, title: res.locals.locale === 'en' ? 'Committee meeting' : 'Заседание комитета' }));
    }),

    route('post', '/meetings', secretariat, async (req, res) => {
      try {
        const m = await scheduleMeeting(req.user!, meetingInput(req.body));
        res.redirect(303, `/meetings/${m._id}?done=scheduled`);
      } catch (err) {
        renderFormError(res, 'meetings/form', err, typed(req.body), await formModel(typed(req.body)));
      }
    }),

    route('get', '/meetings/:id', committee, async (req, res) => {
      res.render('meetings/show', await meetingPage(req, res, await getMeeting(req.user, meetingId(req))));
    }),

    route('get', '/meetings/:id/edit', secretariat, async (req, res) => {
      const m = await getMeeting(req.user, meetingId(req));
      res.render('meetings/form', await formModel(valuesOf(m), m));
    }),

    route('post', '/meetings/:id', secretariat, async (req, res) => {
      const m = await getMeeting(req.user, meetingId(req));
      try {
        const input = meetingInput(req.body);
        await updateMeeting(req.user!, meetingId(req), input.version ?? -1, input);
        res.redirect(303, `/meetings/${m._id}?done=updated`);
      } catch (err) {
        renderFormError(res, 'meetings/form', err, typed(req.body), await formModel(typed(req.body), m));
      }
    }),

    route('get', '/meetings/:id/cancel', secretariat, async (req, res) => {
      const m = await getMeeting(req.user, meetingId(req));
      res.render('meetings/cancel', { title: 'meetings.cancelTitle', meeting: { ...summary(m, res.locals.locale), sent: m.sentSequence !== null && m.sentSequence !== undefined }, values: {} });
    }),

    route('post', '/meetings/:id/cancel', secretariat, async (req, res) => {
      const m = await getMeeting(req.user, meetingId(req));
      try {
        const { note } = parseInput(cancelBody, req.body);
        const cancelled = await cancelMeeting(req.user!, meetingId(req), note, req.now);
        // Only those who were invited hear of the cancellation.
        if (cancelled.sentSequence !== null && cancelled.sentSequence !== undefined) deps.notices.inBackground(sendInvitations(cancelled, mail, 'cancelled', req.now));
        res.redirect(303, `/meetings/${m._id}?done=cancelled`);
      } catch (err) {
        renderFormError(res, 'meetings/cancel', err, req.body, { title: 'meetings.cancelTitle', meeting: summary(m, res.locals.locale) });
      }
    }),

    route('post', '/meetings/:id/agenda', secretariat, action(async (req) => {
      const b = parseInput(itemBody, req.body);
      if (b.kind === 'all') return addAllCandidates(req.user!, meetingId(req));
      let item: NewItem;
      if (b.kind === 'other') {
        if (!b.title) throw new InvalidInput('validation.failed', { field: 'title' }, { title: 'validation.required' });
        item = { kind: 'other', title: b.title, details: b.details };
      } else {
        if (!b.ref) throw new InvalidInput('meetings.notCandidate', {}, { ref: 'meetings.notCandidate' });
        item = b.kind === 'comment' ? { kind: 'comment', comment: b.ref } : { kind: 'document', document: b.ref };
      }
      return addItem(req.user!, meetingId(req), item);
    }, 'added', '#agenda')),

    route('post', '/meetings/:id/agenda/:itemId/move', secretariat, action(async (req) => {
      const { direction } = parseInput(moveBody, req.body);
      await moveItem(req.user!, meetingId(req), String(req.params.itemId), direction);
    }, 'moved', '#agenda')),

    route('post', '/meetings/:id/agenda/:itemId/remove', secretariat, action(async (req) => {
      parseInput(z.strictObject({}), req.body);
      await removeItem(req.user!, meetingId(req), String(req.params.itemId));
    }, 'removed', '#agenda')),

    route('post', '/meetings/:id/agenda/:itemId/decision', secretariat, action(async (req) => {
      const b = parseInput(decisionBody, req.body);
      await recordDecision(req.user!, meetingId(req), String(req.params.itemId), b, req.now);
    }, 'decided', '#agenda')),

    route('post', '/meetings/:id/send', secretariat, action(async (req) => {
      parseInput(z.strictObject({}), req.body);
      const { meeting, update } = await markSent(req.user!, meetingId(req), req.now);
      deps.notices.inBackground(sendInvitations(meeting, mail, update ? 'changed' : 'invited', req.now));
    }, 'sent')),

    route('post', '/meetings/:id/minutes', secretariat, action(async (req) => {
      parseInput(z.strictObject({}), req.body);
      const m = await getMeeting(req.user, meetingId(req));
      await saveMinutes(m, await storeMinutes(m, deps.pdfAssets, 'ru', req.now));
    }, 'minutes', '#minutes')),

    route('get', '/meetings/:id/minutes.pdf', committee, async (req, res) => {
      const m = await getMeeting(req.user, meetingId(req));
      if (!m.minutes) throw new NotFound('meetings.noMinutes');
      const bytes = await readMinutes(m.minutes.fileId);
      sendAsAttachment(res, `minutes-${dayOf(m.startsAt)}.pdf`, 'application/pdf');
      res.set('Cache-Control', 'private, no-store');
      res.send(bytes);
    }),

    route('get', '/meetings/:id/invitation.ics', committee, async (req, res) => {
      const m = await getMeeting(req.user, meetingId(req));
      res.set('Content-Type', 'text/calendar; charset=utf-8; method=' + (m.status === 'cancelled' ? 'CANCEL' : 'REQUEST'));
      res.set('Content-Disposition', `attachment; filename="meeting-${dayOf(m.startsAt)}.ics"`);
      res.set('Cache-Control', 'private, no-store');
      res.send(invitationCalendar(m, mail, m.status === 'cancelled' ? 'CANCEL' : 'REQUEST', req.now, res.locals.locale));
    }),
  ];
}
