import { mongoose } from '../db/mongoose.js';

export const sessionCollection = 'sessions';

/** Deletes every stored session of a person, so that they are signed out everywhere at once. */
export async function endSessionsOf(userId: string): Promise<void> {
  await mongoose.connection.collection(sessionCollection).deleteMany({ 'session.passport.user.id': userId });
}
