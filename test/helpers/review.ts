// Helpers for the systematic review tests (docs/review.md): a published standard taken through a review by the
// services, at a moment after its review date.
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { answerReview, openReview, recordAct, type Answer } from '../../server/review/service.js';
import { testSystem } from './app.js';
import { actorOf, makeUser, type MadeUser } from './factories.js';

const DAY = 86_400_000;

/** A moment after the review date of a standard published today by makePublishedDocument (entry into force in 30 and 60 days). */
export const afterReviewDate = (): Date => new Date(Date.now() + (5 * 366 + 61) * DAY);

export async function reviewHeads(): Promise<{ BY: MadeUser; RU: MadeUser }> {
  return { BY: await makeUser('head', { delegation: 'BY' }), RU: await makeUser('head', { delegation: 'RU' }) };
}

/** Opens the review at `now`, lets each delegation's head answer, and (with `act`) draws up the act. */
export async function reviewThrough(id: string, secretary: MadeUser, given: { BY?: Answer; RU?: Answer }, now: Date, opts: { act?: { outcome?: Answer; reason?: string } } = {}) {
  await openReview(actorOf(secretary), id, new Date(now.getTime() + 30 * DAY), now);
  const heads = await reviewHeads();
  for (const code of ['BY', 'RU'] as const) {
    const answer = given[code];
    if (answer) await answerReview(actorOf(heads[code]), id, { answer, reason: `${code}: причина ответа ${answer}` }, new Date(now.getTime() + 1000));
  }
  if (opts.act) return recordAct(actorOf(secretary), id, opts.act, new Date(now.getTime() + 2000), { lifecycle: testSystem().lifecycle, assets: loadPdfAssets() });
  return undefined;
}
