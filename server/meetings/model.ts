import { mongoose, Schema, maxChars } from '../db/mongoose.js';

/** What an agenda item is about: a comment referred to the meeting, a document awaiting a decision, or anything else. */
export const itemKinds = ['comment', 'document', 'other'] as const;
export type ItemKind = (typeof itemKinds)[number];

export interface Participant {
  user: mongoose.Types.ObjectId;
  name: string;
  email: string;
  role: string;
  /** BY, RU, or null for the secretariat. */
  delegation: string | null;
}

export interface ItemDecision {
  /** For a comment: its final disposition (accepted, partially, rejected, noted). */
  disposition?: string | null;
  /** The words of the decision as the minutes carry them (required for documents and other items, the reason for comments). */
  text?: string | null;
  byName: string;
  at: Date;
}

export interface AgendaItem {
  _id: mongoose.Types.ObjectId;
  kind: ItemKind;
  document?: mongoose.Types.ObjectId | null;
  comment?: mongoose.Types.ObjectId | null;
  /** The item as written when it was put on the agenda (the comment's number and clause, the document's title and state). */
  title: string;
  details?: string | null;
  decision?: ItemDecision | null;
}

export interface MinutesInfo {
  fileId: mongoose.Types.ObjectId;
  at: Date;
  sha256: string;
  size: number;
}

export interface MeetingRecord {
  _id: mongoose.Types.ObjectId;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  place?: string | null;
  link?: string | null;
  participants: Participant[];
  guests: string[];
  agenda: AgendaItem[];
  status: 'scheduled' | 'cancelled';
  /** The iCalendar SEQUENCE: raised by every change participants must hear of (time, place, cancellation). */
  sequence: number;
  /** The sequence last sent to the participants, null before the first invitation. */
  sentSequence?: number | null;
  sentAt?: Date | null;
  minutes?: MinutesInfo | null;
  createdBy: mongoose.Types.ObjectId;
  createdByName: string;
  cancelledAt?: Date | null;
  cancelNote?: string | null;
  /** Edit counter: two edits of one meeting at once, one wins. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const participantSchema = new Schema<Participant>(
  { user: { type: Schema.Types.ObjectId, ref: 'User' }, name: String, email: String, role: String, delegation: { type: String, default: null } },
  { _id: false },
);

const decisionSchema = new Schema<ItemDecision>(
  { disposition: { type: String, default: null }, text: { type: String, default: null, validate: maxChars(10_000) }, byName: String, at: Date },
  { _id: false },
);

const itemSchema = new Schema<AgendaItem>(
  {
    kind: { type: String, enum: itemKinds, required: true },
    document: { type: Schema.Types.ObjectId, ref: 'Document', default: null },
    comment: { type: Schema.Types.ObjectId, ref: 'Comment', default: null },
    title: { type: String, required: true, validate: maxChars(2000) },
    details: { type: String, default: null, validate: maxChars(10_000) },
    decision: { type: decisionSchema, default: null },
  },
  { _id: true },
);

const meetingSchema = new Schema(
  {
    title: { type: String, required: true, validate: maxChars(300) },
    startsAt: { type: Date, required: true },
    durationMinutes: { type: Number, required: true },
    place: { type: String, default: null, validate: maxChars(500) },
    link: { type: String, default: null, validate: maxChars(1000) },
    participants: { type: [participantSchema], default: [] },
    guests: { type: [String], default: [] },
    agenda: { type: [itemSchema], default: [] },
    status: { type: String, enum: ['scheduled', 'cancelled'], default: 'scheduled' },
    sequence: { type: Number, default: 0 },
    sentSequence: { type: Number, default: null },
    sentAt: { type: Date, default: null },
    minutes: { type: new Schema({ fileId: Schema.Types.ObjectId, at: Date, sha256: String, size: Number }, { _id: false }), default: null },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    createdByName: String,
    cancelledAt: { type: Date, default: null },
    cancelNote: { type: String, default: null, validate: maxChars(2000) },
    version: { type: Number, default: 0 },
  },
  { timestamps: true },
);
// The list of meetings, newest first.
meetingSchema.index({ startsAt: -1 });

export const Meeting = mongoose.model('Meeting', meetingSchema);
