import assert from 'node:assert/strict';
import type { Express } from 'express';
import type { mongo } from 'mongoose';
import { Comment } from '../../server/comments/model.js';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel } from '../../server/documents/model.js';
import { signIn, type Agent } from '../helpers/agent.js';
import { drainNotices, testApp } from '../helpers/app.js';
import { alertOf, commentIdFrom, releaseAs, roundOfComments, setCommentPeriod, storedComment } from '../helpers/comments.js';
import { makeUser } from '../helpers/factories.js';

/** The database commands sent while `work` runs, as «command collection» (the driver's command monitoring: sessions, models, everything). */
async function commandsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const client = mongoose.connection.getClient();
  const seen: string[] = [];
  const onCommand = (e: mongo.CommandStartedEvent) => {
    if (['hello', 'isMaster', 'ismaster', 'ping', 'endSessions'].includes(e.commandName)) return;
    seen.push(`${e.commandName} ${String(e.command[e.commandName])}`);
  };
  client.on('commandStarted', onCommand);
  try {
    await work();
    await drainNotices();
  } finally {
    client.off('commandStarted', onCommand);
  }
  return seen;
}

/** Runs `step` once, around the next insert of a comment: before it reaches the database, or right after. */
function aroundNextInsert(when: 'before' | 'after', step: () => Promise<unknown>): () => void {
  const collection = Comment.collection as unknown as { insertOne: (...args: unknown[]) => Promise<unknown> };
  const insertOne = collection.insertOne;
  collection.insertOne = async (...args: unknown[]) => {
    collection.insertOne = insertOne;
    if (when === 'before') await step();
    const r = await insertOne.apply(Comment.collection, args);
    if (when === 'after') await step();
    return r;
  };
  return () => {
    collection.insertOne = insertOne;
  };
}

describe('posting a comment', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const post = (s: { agent: Agent; csrf: string }, docId: string, text: string) =>
    s.agent.post(`/documents/${docId}/comments`).type('form').send({ _csrf: s.csrf, clauseKey: 'scope', type: 'te', text });
  const internalOf = (docId: string) => Comment.countDocuments({ document: docId, delegation: 'BY', status: 'internal' });

  it('sends three database commands once warm: the session, the insert, and the document read after it', async () => {
    const round = await roundOfComments();
    const member = await signIn(app, round.members.BY);
    // The first comment reads the document before it too, and its notice to the head is sent.
    await post(member, round.id, 'Первое замечание').expect(303);
    await drainNotices();
    await post(member, round.id, 'Второе замечание').expect(303);
    const commands = await commandsDuring(() => post(member, round.id, 'Третье замечание').expect(303));
    assert.deepEqual(commands, ['find sessions', 'insert comments', 'find documents']);
  });

  it('records the release on the document, and refuses a later comment though this process read the document before it', async () => {
    const round = await roundOfComments();
    const member = await signIn(app, round.members.BY);
    const first = commentIdFrom((await post(member, round.id, 'До направления позиции').expect(303)).headers.location);
    await releaseAs(round.id, 'BY');
    const doc = await DocumentModel.findById(round.id).select({ releasedPositions: 1, round: 1 }).lean();
    assert.deepEqual(doc!.releasedPositions!.map((p) => [p.round, p.delegation]), [[doc!.round, 'BY']]);

    const late = await post(member, round.id, 'После направления позиции').expect(409);
    assert.match(alertOf(late), /позиция вашей делегации уже направлена/);
    assert.deepEqual((await Comment.find({ document: round.id }).lean()).map((c) => [String(c._id), c.status, c.number]), [[first, 'released', 'BY-001']]);
    // The other delegation still writes.
    const russian = await signIn(app, round.members.RU);
    await post(russian, round.id, 'Замечание России').expect(303);
  });

  it('refuses a comment once the period closed, though this process read the document while it was open', async () => {
    const round = await roundOfComments();
    const member = await signIn(app, round.members.BY);
    await post(member, round.id, 'Пока срок не истёк').expect(303);
    await setCommentPeriod(round.id, { closesAt: new Date(Date.now() - 60_000) });
    const late = await post(member, round.id, 'После срока').expect(409);
    assert.match(alertOf(late), /Срок отзывов истёк/);
    assert.equal(await Comment.countDocuments({ document: round.id }), 1);
  });

  it('takes back a comment stored after the release was recorded, and refuses it', async () => {
    const round = await roundOfComments();
    const member = await signIn(app, round.members.BY);
    await post(member, round.id, 'До направления позиции').expect(303);
    // The comment passed its checks; the whole release happens before its insert reaches the database.
    const restore = aroundNextInsert('before', () => releaseAs(round.id, 'BY'));
    try {
      const late = await post(member, round.id, 'Одновременно с направлением').expect(409);
      assert.match(alertOf(late), /позиция вашей делегации уже направлена/);
    } finally {
      restore();
    }
    assert.equal(await internalOf(round.id), 0);
    assert.deepEqual((await Comment.find({ document: round.id }).lean()).map((c) => [c.text, c.number]), [['До направления позиции', 'BY-001']]);
  });

  it('keeps a comment the release numbered between its insert and the check after it', async () => {
    const round = await roundOfComments();
    const member = await signIn(app, round.members.BY);
    await post(member, round.id, 'Первое').expect(303);
    const restore = aroundNextInsert('after', () => releaseAs(round.id, 'BY'));
    let res;
    try {
      res = await post(member, round.id, 'Второе, за миг до направления').expect(303);
    } finally {
      restore();
    }
    const c = await storedComment(commentIdFrom(res.headers.location));
    assert.equal(c.status, 'released');
    assert.equal(await internalOf(round.id), 0);
    assert.deepEqual((await Comment.find({ document: round.id }).sort({ seq: 1 }).lean()).map((x) => x.number), ['BY-001', 'BY-002']);
  });

  it('leaves no comment of the delegation unnumbered when comments are posted while the head releases', async function () {
    this.timeout(120_000);
    const round = await roundOfComments();
    const members = await Promise.all(Array.from({ length: 5 }, async () => signIn(app, await makeUser('member', { delegation: 'BY' }))));
    await post(members[0]!, round.id, 'Перед всеми').expect(303);
    const head = await makeUser('head', { delegation: 'BY' });
    const posts = Array.from({ length: 60 }, (_, i) => post(members[i % members.length]!, round.id, `№ ${i + 1}`));
    const [answers] = await Promise.all([Promise.all(posts), new Promise((r) => setTimeout(r, 20)).then(() => releaseAs(round.id, 'BY', head))]);
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 303 || s === 409), `statuses: ${[...new Set(statuses)].join(',')}`);
    const stored = await Comment.find({ document: round.id }).lean();
    assert.equal(await internalOf(round.id), 0, 'no comment stays internal after the release');
    // Every comment answered 303 is stored and numbered; none answered 409 is stored.
    const accepted = answers.filter((r) => r.status === 303).map((r) => commentIdFrom(r.headers.location));
    assert.deepEqual(new Set(stored.map((c) => String(c._id))), new Set([...stored.filter((c) => c.text === 'Перед всеми').map((c) => String(c._id)), ...accepted]));
    assert.deepEqual(stored.map((c) => c.seq).sort((a, b) => a! - b!), Array.from({ length: stored.length }, (_, i) => i + 1));
  });
});
