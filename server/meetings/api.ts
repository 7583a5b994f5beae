// Meetings through the JSON API (docs/meetings.md): the meetings the caller may see, one meeting with its
// agenda, participants and decisions, a new meeting scheduled by the secretariat, and a decision on an
// agenda item. Each calls the same service as the pages, so a decision on a comment becomes its
// disposition exactly as on the meeting page.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { signedIn } from '../auth/index.js';
import { Forbidden, NotFound } from '../errors.js';
import { objectIdParam, type ApiOperation } from '../http/openapi.js';
import { route, type RouteDef } from '../http/route-table.js';
import { optionalText, parseInput, text } from '../http/validate.js';
import { itemKinds, type MeetingRecord } from './model.js';
import { meetingAt } from './routes.js';
import { commentStates, editsMeetings, getMeeting, listMeetings, meetingDispositions, messages, recordDecision, scheduleMeeting, seesMeetings } from './service.js';

// ── Input ────────────────────────────────────────────────────────────────────────────────────────────

const scheduleBody = z.strictObject({
  title: text(300),
  // The day and the time in committee time (UTC+3, docs/time.md), as the form takes them.
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'meetings.dayFormat'),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'meetings.timeFormat'),
  durationMinutes: z.number('meetings.duration').int('meetings.duration').min(15, 'meetings.duration').max(720, 'meetings.duration'),
  place: optionalText(500),
  link: optionalText(1000).refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'meetings.linkFormat'),
  // Account ids of those invited: active heads, members and secretariat (GET /api/users lists accounts to an administrator).
  participants: z.array(objectIdParam).min(1, 'meetings.noParticipants').max(500),
  // Guests without an account: one entry each (name and organisation).
  guests: z.array(text(300)).max(50).optional(),
});
const decisionBody = z.strictObject({
  item: objectIdParam,
  // For a comment item: its final disposition; the reason (text) is required for rejected and partially.
  disposition: z.enum(meetingDispositions, 'meetings.chooseDisposition').optional(),
  text: optionalText(10_000),
});

// ── Output ───────────────────────────────────────────────────────────────────────────────────────────

const meetingSummaryOut = z.object({
  id: z.string(), title: z.string(), startsAt: z.string(), durationMinutes: z.number(), place: z.string().nullable(), link: z.string().nullable(),
  status: z.enum(['scheduled', 'cancelled']), items: z.number(), decided: z.number(), participants: z.number(), hasMinutes: z.boolean(),
  links: z.object({ self: z.string(), page: z.string() }),
});
const decisionOut = z.object({ disposition: z.string().nullable(), text: z.string().nullable(), byName: z.string(), at: z.string() }).nullable();
const meetingOut = z.object({
  id: z.string(), title: z.string(), startsAt: z.string(), durationMinutes: z.number(), place: z.string().nullable(), link: z.string().nullable(),
  status: z.enum(['scheduled', 'cancelled']), cancelNote: z.string().nullable(), sequence: z.number(), sentAt: z.string().nullable(), version: z.number(),
  participants: z.array(z.object({ id: z.string(), name: z.string(), role: z.string(), delegation: z.string().nullable() })),
  guests: z.array(z.string()),
  agenda: z.array(z.object({
    id: z.string(), kind: z.enum(itemKinds), title: z.string(), details: z.string().nullable(), document: z.string().nullable(), comment: z.string().nullable(),
    decision: decisionOut,
    // A comment's disposition now: it may have been changed on the comment's own page since the meeting decided.
    currentDisposition: z.string().nullable(),
  })),
  minutes: z.object({ at: z.string(), sha256: z.string(), size: z.number() }).nullable(),
  can: z.object({ edit: z.boolean() }),
  links: z.object({ self: z.string(), page: z.string(), invitation: z.string(), minutes: z.string().nullable() }),
});

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const links = (id: string) => ({ self: `/api/meetings/${id}`, page: `/meetings/${id}` });

function summaryJson(m: MeetingRecord) {
  const id = String(m._id);
  return {
    id, title: m.title, startsAt: iso(m.startsAt)!, durationMinutes: m.durationMinutes, place: m.place ?? null, link: m.link ?? null, status: m.status,
    items: m.agenda.length, decided: m.agenda.filter((i) => i.decision).length, participants: m.participants.length, hasMinutes: !!m.minutes, links: links(id),
  };
}

async function meetingJson(req: Request, m: MeetingRecord) {
  const id = String(m._id);
  const states = await commentStates(m);
  return {
    id, title: m.title, startsAt: iso(m.startsAt)!, durationMinutes: m.durationMinutes, place: m.place ?? null, link: m.link ?? null, status: m.status,
    cancelNote: m.cancelNote ?? null, sequence: m.sequence, sentAt: iso(m.sentAt), version: m.version,
    participants: m.participants.map((p) => ({ id: String(p.user), name: p.name, role: p.role, delegation: p.delegation ?? null })),
    guests: m.guests,
    agenda: m.agenda.map((i) => ({
      id: String(i._id), kind: i.kind, title: i.title, details: i.details ?? null, document: i.document ? String(i.document) : null, comment: i.comment ? String(i.comment) : null,
      decision: i.decision ? { disposition: i.decision.disposition ?? null, text: i.decision.text ?? null, byName: i.decision.byName, at: iso(i.decision.at)! } : null,
      currentDisposition: states.get(String(i._id)) ?? null,
    })),
    minutes: m.minutes ? { at: iso(m.minutes.at)!, sha256: m.minutes.sha256, size: m.minutes.size } : null,
    can: { edit: editsMeetings(req.user) && m.status === 'scheduled' },
    links: { ...links(id), invitation: `/meetings/${id}/invitation.ics`, minutes: m.minutes ? `/meetings/${id}/minutes.pdf` : null },
  };
}

// ── Operations ───────────────────────────────────────────────────────────────────────────────────────

const idParam = { id: objectIdParam };

export const meetingApi: ApiOperation[] = [
  { id: 'listMeetings', method: 'get', path: '/api/meetings', tag: 'meetings', summary: 'The committee’s meetings, newest first', access: 'committee roles (to anyone else signed in, not found)', response: z.object({ meetings: z.array(meetingSummaryOut) }) },
  {
    id: 'scheduleMeeting', method: 'post', path: '/api/meetings', tag: 'meetings', body: scheduleBody, status: 201, location: true, response: meetingOut,
    summary: 'Schedule a meeting: title, day and time in committee time (UTC+3), duration, place or video link, participants (active accounts of the delegations and the secretariat) and guests; the invitation is sent from the page',
    access: 'secretariat',
  },
  { id: 'getMeeting', method: 'get', path: '/api/meetings/:id', tag: 'meetings', params: idParam, response: meetingOut, summary: 'One meeting with its participants, guests, agenda and decisions, and links to its page, invitation and minutes', access: 'committee roles (to anyone else signed in, not found)' },
  {
    id: 'decideMeetingItem', method: 'post', path: '/api/meetings/:id/decisions', tag: 'meetings', params: idParam, body: decisionBody, response: meetingOut,
    summary: 'Record the decision on one agenda item: for a comment its final disposition (accepted, partially, rejected, noted; a reason in text for partially and rejected), which becomes the comment’s disposition with the meeting’s day; for any other item the words of the decision (text)',
    access: 'secretariat, while the meeting is not cancelled',
  },
];

// ── Routes ───────────────────────────────────────────────────────────────────────────────────────────

/** Signed in first (a call without credentials is 401); then, as the pages: the committee sees, anyone else is told meetings are not found. */
const committee: RequestHandler[] = [signedIn, (req, _res, next) => next(seesMeetings(req.user) ? undefined : new NotFound(messages.notFound))];
const secretariat: RequestHandler[] = [...committee, (req, _res, next) => next(editsMeetings(req.user) ? undefined : new Forbidden('errors.forbidden'))];
const meetingId = (req: Request) => String(req.params.id);

export function meetingApiRoutes(): RouteDef[] {
  return [
    route('get', '/api/meetings', committee, async (req, res) => {
      res.json({ meetings: (await listMeetings(req.user)).map(summaryJson) });
    }),

    route('post', '/api/meetings', secretariat, async (req, res) => {
      const b = parseInput(scheduleBody, req.body);
      const m = await scheduleMeeting(req.user!, { ...meetingAt(b), title: b.title, durationMinutes: b.durationMinutes, place: b.place, link: b.link, participants: b.participants, guests: b.guests ?? [] });
      res.status(201).location(`/api/meetings/${m._id}`).json(await meetingJson(req, await getMeeting(req.user, String(m._id))));
    }),

    route('get', '/api/meetings/:id', committee, async (req, res) => {
      res.json(await meetingJson(req, await getMeeting(req.user, meetingId(req))));
    }),

    route('post', '/api/meetings/:id/decisions', secretariat, async (req, res) => {
      await getMeeting(req.user, meetingId(req)); // an unknown meeting is not found, whatever was posted
      const b = parseInput(decisionBody, req.body);
      await recordDecision(req.user!, meetingId(req), b.item, { disposition: b.disposition, text: b.text }, req.now);
      res.json(await meetingJson(req, await getMeeting(req.user, meetingId(req))));
    }),
  ];
}
