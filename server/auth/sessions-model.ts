import { mongoose, Schema } from '../db/mongoose.js';

export const sessionCollection = 'sessions';

/**
 * The stored sessions belong to connect-mongo (server/app.ts), which makes its own index for their expiry.
 * This model declares the index that ending or renaming one person's sessions needs (sessions.ts): they
 * are found by the person's id inside the session, which would otherwise mean reading every session.
 */
const sessionSchema = new Schema({ _id: String, expires: Date, session: Schema.Types.Mixed }, { collection: sessionCollection, versionKey: false });
sessionSchema.index({ 'session.passport.user.id': 1 });

export const StoredSession = mongoose.model('StoredSession', sessionSchema);
