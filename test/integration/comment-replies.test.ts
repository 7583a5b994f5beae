import assert from 'node:assert/strict';
import type { Express } from 'express';
import { releasePosition } from '../../server/comments/position.js';
import { replyToComment } from '../../server/comments/service.js';
import { signIn } from '../helpers/agent.js';
import { testApp, testSystem } from '../helpers/app.js';
import { actorOf, makeCirculatedDocument, makeComment, makeUser } from '../helpers/factories.js';

describe('replies to comments', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('keeps a delegation’s internal discussion to itself after the release, and shows later replies to all', async () => {
    const { id } = await makeCirculatedDocument();
    const { id: commentId, member } = await makeComment(id, { delegation: 'BY' });
    const marker = `внутреннее-обсуждение-${Date.now()}`;
    await replyToComment(actorOf(member), commentId, `Согласен, ${marker}`, new Date());
    await releasePosition(actorOf(await makeUser('head', { delegation: 'BY' })), id, new Date(), testSystem().notices);
    const secretary = await makeUser('secretariat');
    await replyToComment(actorOf(secretary), commentId, 'Секретариат: вопрос будет рассмотрен на заседании.', new Date());

    for (const [who, sees] of [[await makeUser('member', { delegation: 'RU' }), false], [secretary, false], [await makeUser('member', { delegation: 'BY' }), true]] as const) {
      const { agent } = await signIn(app, who);
      const page = await agent.get(`/documents/${id}/comments/${commentId}`).expect(200);
      assert.equal(page.text.includes(marker), sees, `${who.role} ${who.delegation ?? ''} ${sees ? 'sees' : 'does not see'} the internal reply`);
      assert.match(page.text, /вопрос будет рассмотрен на заседании/);
      const summary = await agent.get(`/documents/${id}/comments`).expect(200);
      assert.equal(summary.text.includes(marker), false);
    }
  });
});
