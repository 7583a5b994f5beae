import { mongoose, Schema, maxChars } from '../db/mongoose.js';
import { noticeKinds } from '../notices/kinds.js';
import { searchWordsOf } from './search-words.js';

export const roles = ['administrator', 'secretariat', 'head', 'member', 'manufacturer'] as const;
/** Kinds of e-mail notice a person can turn off one by one (server/notices/kinds.ts). */
export { noticeKinds };
export type { NoticeKind } from '../notices/kinds.js';
export type Role = (typeof roles)[number];
/** Roles that belong to one national delegation. */
export const delegationRoles: readonly Role[] = ['head', 'member'];

export interface UserRecord {
  _id: mongoose.Types.ObjectId;
  email: string;
  name: string;
  organisation?: string;
  role: Role;
  delegation?: mongoose.Types.ObjectId | null;
  delegationCode?: string | null;
  active: boolean;
  passwordHash?: string | null;
  locale?: 'ru' | 'en';
  sessionVersion: number;
  createdAt: Date;
  lastSignInAt?: Date;
  unsubscribed?: string[];
  searchWords?: string[];
}

const userSchema = new Schema(
  {
    // Stored lower-cased so the unique index makes e-mail addresses unique regardless of case.
    email: { type: String, required: true, unique: true, lowercase: true, trim: true, validate: maxChars(254) },
    name: { type: String, required: true, trim: true, validate: maxChars(200) },
    organisation: { type: String, trim: true, validate: maxChars(200) },
    role: { type: String, required: true, enum: roles },
    delegation: { type: Schema.Types.ObjectId, ref: 'Delegation', default: null },
    // The delegation's code kept beside its id (codes never change), so that loading the signed-in
    // person on each request is one read.
    delegationCode: { type: String, default: null },
    active: { type: Boolean, default: true },
    passwordHash: { type: String, default: null },
    locale: { type: String, enum: ['ru', 'en'] },
    // Bumped on deactivation and password change: sessions carrying an older value are ended.
    sessionVersion: { type: Number, default: 0 },
    lastSignInAt: Date,
    // Kinds of e-mail notice the person has turned off (see notices in the comments feature).
    unsubscribed: { type: [String], default: [] },
    // Only the first administrator carries this; the unique index lets exactly one setup win a race.
    setupSlot: { type: String },
    // The words of the name and e-mail a search of the people list finds the person by (search-words.ts).
    searchWords: { type: [String], default: undefined },
  },
  { timestamps: true },
);
// A new person, or a new name, is found by its words at once.
userSchema.pre('save', function () {
  if (this.isNew || this.isModified('name') || this.isModified('email')) this.set('searchWords', searchWordsOf(this.get('name') ?? '', this.get('email') ?? ''));
});
userSchema.index({ setupSlot: 1 }, { unique: true, sparse: true });
// The administrator's list of people by name, a page at a time (_id orders namesakes the same way on every
// page), alone and filtered by delegation, role or status (server/users/list.ts); a delegation's members;
// the notices' recipients by role and delegation; a search, by the words it begins.
userSchema.index({ name: 1, _id: 1 });
userSchema.index({ delegation: 1, name: 1, _id: 1 });
userSchema.index({ role: 1, delegation: 1, name: 1, _id: 1 });
userSchema.index({ role: 1, name: 1, _id: 1 });
userSchema.index({ active: 1, name: 1, _id: 1 });
userSchema.index({ searchWords: 1 });

export const User = mongoose.model('User', userSchema);
