import { mongoose, Schema, maxChars } from '../db/mongoose.js';

/** One-time links sent by e-mail (invitations, password resets); only a hash of the token is stored. */
const oneTimeLinkSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ['invitation', 'reset'] },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    tokenHash: { type: String, required: true, unique: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
oneTimeLinkSchema.index({ user: 1, kind: 1 });

export const OneTimeLink = mongoose.model('OneTimeLink', oneTimeLinkSchema);

/** Personal API tokens; the secret is shown once and only its SHA-256 is kept. */
const apiTokenSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true, trim: true, validate: maxChars(100) },
    tokenHash: { type: String, required: true, unique: true },
    prefix: { type: String, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
apiTokenSchema.index({ user: 1, createdAt: -1 });

export const ApiToken = mongoose.model('ApiToken', apiTokenSchema);
