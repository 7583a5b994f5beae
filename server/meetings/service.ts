// Committee meetings (docs/meetings.md): the secretariat schedules one, builds its agenda from the comments
// referred to a meeting and the documents awaiting a decision, sends it with an iCalendar invitation, and
// records a decision per item; a decision on a comment becomes the comment's final disposition. The
// committee sees meetings; anyone else is told they are not found.
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors.js';
import { commentForAgenda, decisionsNeedingReason, referredComments, setDisposition, type ReferredComment } from '../comments/index.js';
import { committeeRoles, getDocument, getRevision, listDocumentsInStates, type DocumentRecord } from '../documents/index.js';
import { numberClauses } from '../text/numbering.js';
import { listDelegations } from '../delegations/service.js';
import { listUsers } from '../users/service.js';
import { dayOf } from '../time/days.js';
import { Meeting, type AgendaItem, type ItemKind, type MeetingRecord, type Participant } from './model.js';

export const messages = {
  notFound: 'meetings.notFound',
  cancelled: 'meetings.isCancelled',
  changedMeanwhile: 'meetings.changedMeanwhile',
  unknownPerson: 'meetings.unknownPerson',
  noParticipants: 'meetings.noParticipants',
  unknownItem: 'meetings.unknownItem',
  alreadyOnAgenda: 'meetings.alreadyOnAgenda',
  notCandidate: 'meetings.notCandidate',
  emptyAgenda: 'meetings.emptyAgenda',
  decisionRequired: 'meetings.decisionRequired',
  chooseDisposition: 'meetings.chooseDisposition',
  reasonRequired: 'comments.reasonRequired',
  decisionText: 'meetings.decisionTextRequired',
} as const;

/** The final dispositions a meeting may give a comment: anything but referring it again. */
export const meetingDispositions = ['accepted', 'partially', 'rejected', 'noted'] as const;
export type MeetingDisposition = (typeof meetingDispositions)[number];

/** Roles that may be invited: the secretariat and the delegations' heads and members. */
const invitableRoles = ['secretariat', 'head', 'member'];

export function seesMeetings(actor: CurrentUser | undefined): boolean {
  return !!actor && committeeRoles.includes(actor.role);
}

export function editsMeetings(actor: CurrentUser | undefined): boolean {
  return actor?.role === 'secretariat';
}

function checkSees(actor: CurrentUser | undefined): void {
  if (!seesMeetings(actor)) throw new NotFound(messages.notFound);
}

function checkEdits(actor: CurrentUser | undefined): void {
  checkSees(actor);
  if (!editsMeetings(actor)) throw new Forbidden('errors.forbidden');
}

export const meetingFields = {
  title: 1, startsAt: 1, durationMinutes: 1, place: 1, link: 1, participants: 1, guests: 1, agenda: 1, status: 1, sequence: 1, sentSequence: 1, sentAt: 1, minutes: 1,
  createdBy: 1, createdByName: 1, cancelledAt: 1, cancelNote: 1, version: 1, createdAt: 1, updatedAt: 1,
} as const;

export async function listMeetings(actor: CurrentUser | undefined): Promise<MeetingRecord[]> {
  checkSees(actor);
  return Meeting.find({}).select({ title: 1, startsAt: 1, durationMinutes: 1, place: 1, link: 1, status: 1, agenda: 1, participants: 1, minutes: 1 }).sort({ startsAt: -1 }).limit(200).lean<MeetingRecord[]>();
}

export async function getMeeting(actor: CurrentUser | undefined, id: string): Promise<MeetingRecord> {
  checkSees(actor);
  if (!mongoose.isValidObjectId(id)) throw new NotFound(messages.notFound);
  const m = await Meeting.findById(id).select(meetingFields).lean<MeetingRecord>();
  if (!m) throw new NotFound(messages.notFound);
  return m;
}

/** People who may be invited, by delegation (BY, RU) and the secretariat (null), active accounts only. */
export async function invitablePeople(): Promise<{ delegation: string | null; people: { id: string; name: string; email: string; role: string }[] }[]> {
  const [users, delegations] = await Promise.all([listUsers(), listDelegations()]);
  const codeOf = new Map(delegations.map((d) => [String(d._id), d.code]));
  const groups = new Map<string | null, { id: string; name: string; email: string; role: string }[]>();
  for (const d of delegations) groups.set(d.code, []);
  groups.set(null, []);
  for (const u of users) {
    if (!u.active || u.invited || !invitableRoles.includes(u.role)) continue;
    const code = u.role === 'secretariat' ? null : (u.delegation ? codeOf.get(u.delegation) : undefined) ?? null;
    if (u.role !== 'secretariat' && !code) continue;
    groups.get(code)?.push({ id: u.id, name: u.name, email: u.email, role: u.role });
  }
  return [...groups].map(([delegation, people]) => ({ delegation, people }));
}

export interface MeetingInput {
  title: string;
  startsAt: Date;
  durationMinutes: number;
  place?: string;
  link?: string;
  participants: string[];
  guests: string[];
}

async function participantsOf(ids: readonly string[]): Promise<Participant[]> {
  const groups = await invitablePeople();
  const byId = new Map(groups.flatMap((g) => g.people.map((p) => [p.id, { ...p, delegation: g.delegation }] as const)));
  const out: Participant[] = [];
  for (const id of new Set(ids)) {
    const p = byId.get(id);
    if (!p) throw new InvalidInput(messages.unknownPerson, {}, { participants: messages.unknownPerson });
    out.push({ user: new mongoose.Types.ObjectId(p.id), name: p.name, email: p.email, role: p.role, delegation: p.delegation });
  }
  if (out.length === 0) throw new InvalidInput(messages.noParticipants, {}, { participants: messages.noParticipants });
  // By delegation, then name: the order of the minutes' list of participants.
  const rank = (p: Participant) => (p.delegation === null ? 1 : 0);
  return out.sort((a, b) => rank(a) - rank(b) || (a.delegation ?? '').localeCompare(b.delegation ?? '') || a.name.localeCompare(b.name));
}

export async function scheduleMeeting(actor: CurrentUser, input: MeetingInput): Promise<MeetingRecord> {
  checkEdits(actor);
  const participants = await participantsOf(input.participants);
  const created = await Meeting.create({
    title: input.title, startsAt: input.startsAt, durationMinutes: input.durationMinutes, place: input.place ?? null, link: input.link ?? null,
    participants, guests: input.guests, createdBy: actor.id, createdByName: actor.name,
  });
  return created.toObject() as MeetingRecord;
}

async function editable(actor: CurrentUser, id: string): Promise<MeetingRecord> {
  checkEdits(actor);
  const m = await getMeeting(actor, id);
  if (m.status === 'cancelled') throw new Conflict(messages.cancelled);
  return m;
}

/** One conditional write on the meeting's version: of two edits at once, one wins and the other is told. */
async function write(m: MeetingRecord, update: Record<string, unknown>): Promise<void> {
  const r = await Meeting.updateOne({ _id: m._id, version: m.version, status: 'scheduled' }, { ...update, $inc: { version: 1, ...((update.$inc as object) ?? {}) } });
  if (r.matchedCount === 0) throw new Conflict(messages.changedMeanwhile);
}

/** A change of the meeting raises its SEQUENCE: the next invitation replaces the one calendars hold. */
export async function updateMeeting(actor: CurrentUser, id: string, version: number, input: MeetingInput): Promise<void> {
  const m = await editable(actor, id);
  if (m.version !== version) throw new Conflict(messages.changedMeanwhile);
  const participants = await participantsOf(input.participants);
  await write(m, {
    $set: { title: input.title, startsAt: input.startsAt, durationMinutes: input.durationMinutes, place: input.place ?? null, link: input.link ?? null, participants, guests: input.guests },
    $inc: { sequence: 1 },
  });
}

export async function cancelMeeting(actor: CurrentUser, id: string, note: string | undefined, now: Date): Promise<MeetingRecord> {
  const m = await editable(actor, id);
  const r = await Meeting.updateOne({ _id: m._id, status: 'scheduled' }, { $set: { status: 'cancelled', cancelledAt: now, cancelNote: note ?? null }, $inc: { version: 1, sequence: 1 } });
  if (r.matchedCount === 0) throw new Conflict(messages.changedMeanwhile);
  return { ...m, status: 'cancelled', cancelledAt: now, cancelNote: note ?? null, sequence: m.sequence + 1 };
}

/** A document waiting for the committee to decide, and why (docs/meetings.md). */
export interface DocumentCandidate {
  document: string;
  title: string;
  why: 'approved' | 'ballotFailed';
}

/**
 * What the agenda may take (docs/meetings.md): the comments of the documents in comment or resolution whose
 * disposition is «вынесено на обсуждение» and that no later disposition closed; and the documents awaiting
 * a decision by the lifecycle table — approved (the ballot approved them, publication is the secretariat's
 * decision) and back in resolution after a failed ballot (a new round or cancellation). Items already on
 * this meeting's agenda are left out.
 */
export async function agendaCandidates(actor: CurrentUser, m: MeetingRecord): Promise<{ comments: (ReferredComment & { docTitle: string; clause: string })[]; documents: DocumentCandidate[] }> {
  checkEdits(actor);
  const referred = await referredComments();
  const waiting = (await listDocumentsInStates(actor, ['resolution', 'approved'])).map((d) => String(d._id));
  const ids = [...new Set([...referred.map((c) => c.document), ...waiting])];
  const docs = await Promise.all(ids.map((id) => getDocument(actor, id)));
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const onAgenda = new Set(m.agenda.map((i) => String(i.comment ?? i.document ?? '')));
  const comments = referred
    .filter((c) => {
      const d = byId.get(c.document);
      return !!d && (d.state === 'comment' || d.state === 'resolution') && d.round === c.round && !onAgenda.has(c.id);
    })
    .map((c) => ({ ...c, docTitle: byId.get(c.document)!.titles.ru }));
  const names = await clauseNames(comments.map((c) => ({ doc: byId.get(c.document)!, revision: c.revision })));
  const named = comments.map((c) => ({ ...c, clause: names.get(`${c.document}:${c.revision}:${c.clauseKey}`) ?? c.clauseKey }));
  const documents: DocumentCandidate[] = [];
  for (const d of docs) {
    if (onAgenda.has(String(d._id))) continue;
    const why = awaitingDecision(d);
    if (why) documents.push({ document: String(d._id), title: d.titles.ru, why });
  }
  return { comments: named, documents };
}

/** «4.2 Требования» for each clause key of the revisions asked for (the clause as the circulated revision numbers it). */
async function clauseNames(wanted: { doc: DocumentRecord; revision: number }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const { doc, revision } of wanted) {
    const key = `${doc._id}:${revision}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rev = await getRevision(doc, revision);
    const labels = numberClauses(rev.clauses);
    for (const c of rev.clauses) out.set(`${key}:${c.key}`, [labels.get(c.key)?.text.ru, c.heading].filter(Boolean).join(' ') || c.key);
  }
  return out;
}

function awaitingDecision(d: DocumentRecord): DocumentCandidate['why'] | undefined {
  if (d.state === 'approved') return 'approved';
  if (d.state === 'resolution' && d.history.at(-1)?.action === 'failBallot') return 'ballotFailed';
  return undefined;
}

export type NewItem = { kind: 'comment'; comment: string } | { kind: 'document'; document: string } | { kind: 'other'; title: string; details?: string };

export async function addItem(actor: CurrentUser, id: string, item: NewItem): Promise<void> {
  const m = await editable(actor, id);
  const made = await itemOf(actor, m, item);
  await write(m, { $push: { agenda: made } });
}

/** Every candidate at once, in the candidates' order: the usual way an agenda starts. */
export async function addAllCandidates(actor: CurrentUser, id: string): Promise<number> {
  const m = await editable(actor, id);
  const c = await agendaCandidates(actor, m);
  const items = [
    ...c.documents.map((d) => documentItem(d)),
    ...c.comments.map((x) => commentItem(x)),
  ];
  if (items.length) await write(m, { $push: { agenda: { $each: items } } });
  return items.length;
}

const commentItem = (c: ReferredComment & { docTitle: string; clause: string }) => ({
  _id: new mongoose.Types.ObjectId(), kind: 'comment' as ItemKind, document: new mongoose.Types.ObjectId(c.document), comment: new mongoose.Types.ObjectId(c.id),
  title: `${c.number ?? '—'} · ${c.clause} · ${c.docTitle}`, details: [c.text, c.proposedChange].filter(Boolean).join('\n\n'),
});
const documentItem = (d: DocumentCandidate) => ({
  _id: new mongoose.Types.ObjectId(), kind: 'document' as ItemKind, document: new mongoose.Types.ObjectId(d.document), comment: null, title: d.title, details: d.why,
});

async function itemOf(actor: CurrentUser, m: MeetingRecord, item: NewItem) {
  if (item.kind === 'other') return { _id: new mongoose.Types.ObjectId(), kind: 'other' as ItemKind, title: item.title, details: item.details ?? null };
  const ref = item.kind === 'comment' ? item.comment : item.document;
  if (m.agenda.some((i) => String(i.comment ?? i.document) === ref)) throw new Conflict(messages.alreadyOnAgenda);
  const c = await agendaCandidates(actor, m);
  if (item.kind === 'comment') {
    const found = c.comments.find((x) => x.id === ref);
    if (!found) throw new InvalidInput(messages.notCandidate, {}, { comment: messages.notCandidate });
    return commentItem(found);
  }
  const found = c.documents.find((x) => x.document === ref);
  if (!found) throw new InvalidInput(messages.notCandidate, {}, { document: messages.notCandidate });
  return documentItem(found);
}

function itemIndex(m: MeetingRecord, itemId: string): number {
  const i = m.agenda.findIndex((x) => String(x._id) === itemId);
  if (i < 0) throw new NotFound(messages.unknownItem);
  return i;
}

export async function removeItem(actor: CurrentUser, id: string, itemId: string): Promise<void> {
  const m = await editable(actor, id);
  const i = itemIndex(m, itemId);
  if (m.agenda[i]!.decision) throw new Conflict('meetings.decidedItem');
  await write(m, { $pull: { agenda: { _id: m.agenda[i]!._id } } });
}

export async function moveItem(actor: CurrentUser, id: string, itemId: string, direction: 'up' | 'down'): Promise<void> {
  const m = await editable(actor, id);
  const i = itemIndex(m, itemId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (j < 0 || j >= m.agenda.length) return;
  const agenda = [...m.agenda];
  [agenda[i], agenda[j]] = [agenda[j]!, agenda[i]!];
  await write(m, { $set: { agenda } });
}

/** The invitation is being sent at this sequence: a later change calls for sending again. */
export async function markSent(actor: CurrentUser, id: string, now: Date): Promise<{ meeting: MeetingRecord; update: boolean }> {
  const m = await editable(actor, id);
  if (m.agenda.length === 0) throw new Conflict(messages.emptyAgenda);
  await write(m, { $set: { sentSequence: m.sequence, sentAt: now } });
  // An update when an invitation went out before: the mail says what changed.
  return { meeting: { ...m, sentSequence: m.sequence, sentAt: now }, update: m.sentSequence !== null && m.sentSequence !== undefined };
}

export interface DecisionInput {
  disposition?: MeetingDisposition;
  text?: string;
}

/**
 * The decision on one item. On a comment it is the comment's final disposition, given through the comments
 * feature with the meeting's day (the comment's page then says «decided at the meeting of …» and keeps the
 * referral among its earlier dispositions); the disposition's reason rules are the comments feature's.
 */
export async function recordDecision(actor: CurrentUser, id: string, itemId: string, input: DecisionInput, now: Date): Promise<void> {
  const m = await editable(actor, id);
  const item: AgendaItem = m.agenda[itemIndex(m, itemId)]!;
  const text = input.text?.trim() || undefined;
  if (item.kind === 'comment') {
    if (!input.disposition) throw new InvalidInput(messages.chooseDisposition, {}, { disposition: messages.chooseDisposition });
    if (decisionsNeedingReason.includes(input.disposition) && !text) throw new InvalidInput(messages.reasonRequired, {}, { text: messages.reasonRequired });
    await setDisposition(actor, String(item.comment), { decision: input.disposition, reason: text, meeting: { id: String(m._id), day: dayOf(m.startsAt) } }, now);
  } else if (!text) {
    throw new InvalidInput(messages.decisionText, {}, { text: messages.decisionText });
  }
  const r = await Meeting.updateOne(
    { _id: m._id, status: 'scheduled', 'agenda._id': item._id },
    { $set: { 'agenda.$.decision': { disposition: item.kind === 'comment' ? input.disposition : null, text: text ?? null, byName: actor.name, at: now } }, $inc: { version: 1 } },
  );
  if (r.matchedCount === 0) throw new Conflict(messages.changedMeanwhile);
}

/** The current disposition of each comment item, for the page (a disposition may have changed on the comment's own page). */
export async function commentStates(m: MeetingRecord): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const i of m.agenda) if (i.kind === 'comment' && i.comment) out.set(String(i._id), (await commentForAgenda(String(i.comment)))?.decision ?? null);
  return out;
}

export async function saveMinutes(m: MeetingRecord, info: NonNullable<MeetingRecord['minutes']>): Promise<void> {
  await Meeting.updateOne({ _id: m._id }, { $set: { minutes: info }, $inc: { version: 1 } });
}
