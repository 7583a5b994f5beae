// The lifecycle as assembled by server/system.ts: listeners that fail after the commit, facts read only
// for the guards a move names, and two applications in one process that share nothing but the database.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel, type DocumentRecord } from '../../server/documents/model.js';
import { MissedReaction } from '../../server/lifecycle/model.js';
import type { Listener } from '../../server/lifecycle/index.js';
import type { MailMessage as Mail } from '../../server/mail/mailer.js';
import type { System } from '../../server/system.js';
import { ManualClock } from '../../server/time/clock.js';
import { newTestSystem, publicUrl, sessionSecret } from '../helpers/app.js';
import { csrfOf, signIn } from '../helpers/agent.js';
import { testEnv } from '../helpers/env.js';
import { actorOf, makeComment, makeDocument, makeUser } from '../helpers/factories.js';

const later = () => new Date(Date.now() + 30 * 86400_000);

/** A mailer that keeps what it is given. */
function keepingMailer(): { mailer: { send(m: Mail): Promise<void> }; sent: Mail[] } {
  const sent: Mail[] = [];
  return { sent, mailer: { send: async (m) => void sent.push(m) } };
}

/** A pino logger whose lines (parsed) land in an array. */
function keepingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

function appOf(system: System) {
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: publicUrl });
  return createApp({ config, logger: system.logger, mailer: { send: async () => undefined }, sessionSecret, templates: testEnv().templates, system });
}

async function stateOf(id: string): Promise<DocumentRecord['state']> {
  return (await DocumentModel.findById(id).select({ state: 1 }).lean<DocumentRecord>())!.state;
}

describe('the lifecycle', () => {
  describe('a listener that fails after the commit', () => {
    let down = true;
    const flaky: Listener = {
      name: 'flaky-test-listener',
      onMove() {
        if (down) throw new Error('the listener is down');
      },
    };
    const seen: string[] = [];
    const after: Listener = { name: 'after-the-flaky-one', onMove: ({ name }) => void seen.push(name) };

    it('leaves the move made and answered as made, is logged with the request id, and is retried until it succeeds', async () => {
      const { logger, lines } = keepingLogger();
      const system = newTestSystem({ logger, extraListeners: [flaky, after] });
      const app = appOf(system);
      const { id, by } = await makeDocument();
      const { agent } = await signIn(app, by);
      const page = await agent.get(`/documents/${id}`).expect(200);
      const res = await agent
        .post(`/documents/${id}/transitions/circulate`)
        .set('X-Request-Id', 'lifecycle-test-0001')
        .type('form')
        .send({ _csrf: csrfOf(page.text), closesDate: later().toISOString().slice(0, 10) });
      assert.equal(res.status, 303, 'the completed move is answered as completed');
      assert.equal(await stateOf(id), 'comment');
      assert.deepEqual(seen, ['circulate'], 'the listeners after the failing one still ran');

      const logged = lines.find((l) => l.listener === 'flaky-test-listener');
      assert.ok(logged, 'the failure is logged');
      assert.equal(logged.reqId, 'lifecycle-test-0001');
      assert.equal(logged.level, 50);
      const recorded = await MissedReaction.findOne({ listener: 'flaky-test-listener', document: id }).lean();
      assert.ok(recorded, 'the failure is recorded');
      assert.equal(recorded.requestId, 'lifecycle-test-0001');
      assert.equal(recorded.move, 'circulate');

      // Still down: the retry counts an attempt and keeps the record.
      const first = await system.lifecycle.retryMissedReactions(new Date());
      assert.deepEqual([first.retried, first.failed], [0, 1]);
      assert.equal((await MissedReaction.findById(recorded._id).lean())?.attempts, 2);
      // Up again: the retry replays the move as the listener would have seen it, and the record goes.
      down = false;
      const replayed: string[] = [];
      flaky.onMove = (e) => void replayed.push(`${e.name}:${e.before.state}→${e.after.state}:${String(e.after._id)}`);
      const second = await system.lifecycle.retryMissedReactions(new Date());
      assert.deepEqual([second.retried, second.failed], [1, 0]);
      assert.deepEqual(replayed, [`circulate:draft→comment:${id}`]);
      assert.equal(await MissedReaction.countDocuments({ _id: recorded._id }), 0);
      await system.notices.drain();
    });
  });

  describe('a move whose process stops after the commit', () => {
    it('leaves its reactions marked on the document, and the scheduled job runs them once the mark is old enough', async () => {
      const heard: string[] = [];
      const { id, by } = await makeDocument();
      // Only this document's moves: others the suite left marked may be finished by the same job.
      const system = newTestSystem({ extraListeners: [{ name: 'recording', onMove: ({ name, before, after }) => void (String(after._id) === id && heard.push(`${name}:${before.state}→${after.state}`)) }] });
      const now = new Date();
      await assert.rejects(
        system.lifecycle.move(actorOf(by), id, 'circulate', { now, closesAt: later(), afterCommit: () => { throw new Error('the process stops here'); } }),
        /the process stops here/,
      );
      assert.equal(await stateOf(id), 'comment', 'the move was committed');
      assert.deepEqual(heard, [], 'nothing after the commit ran');
      const marked = await DocumentModel.findById(id).select({ pendingReactions: 1 }).lean<DocumentRecord>();
      assert.deepEqual(marked!.pendingReactions!.map((r) => [r.move, r.from]), [['circulate', 'draft']]);

      // Within the grace period the job leaves it (the move may still be finishing in its own process).
      await system.lifecycle.retryMissedReactions(new Date(now.getTime() + 30_000));
      assert.deepEqual(heard, []);
      await system.lifecycle.retryMissedReactions(new Date(now.getTime() + 120_000));
      assert.deepEqual(heard, ['circulate:draft→comment'], 'run once, with the move as it was');
      assert.deepEqual((await DocumentModel.findById(id).select({ pendingReactions: 1 }).lean<DocumentRecord>())!.pendingReactions, []);
      await system.lifecycle.retryMissedReactions(new Date(now.getTime() + 240_000));
      assert.deepEqual(heard, ['circulate:draft→comment'], 'and not again');
      await system.notices.drain();
    });

    it('unmarks what ran: a completed move leaves no mark', async () => {
      const system = newTestSystem();
      const { id, by } = await makeDocument();
      await system.lifecycle.move(actorOf(by), id, 'circulate', { now: new Date(), closesAt: later() });
      assert.deepEqual((await DocumentModel.findById(id).select({ pendingReactions: 1 }).lean<DocumentRecord>())!.pendingReactions, []);
      await system.notices.drain();
    });
  });

  describe('facts', () => {
    /** The collection calls made while `work` runs (mongoose's debug hook sees every one). */
    async function callsDuring(work: () => Promise<unknown>): Promise<string[]> {
      const calls: string[] = [];
      mongoose.set('debug', (collection: string, method: string) => void calls.push(`${collection}.${method}`));
      try {
        await work();
      } finally {
        mongoose.set('debug', false);
      }
      return calls;
    }
    const on = (calls: string[], collection: string) => calls.filter((c) => c.startsWith(`${collection}.`));

    it('are read only for the guards of the move: closing comments reads no comment and no revision', async () => {
      const system = newTestSystem();
      const { id, by } = await makeDocument();
      await system.lifecycle.move(actorOf(by), id, 'circulate', { now: new Date(), closesAt: later() });
      await makeComment(id, { release: true });
      const calls = await callsDuring(() => system.lifecycle.move(actorOf(by), id, 'closeComments', { now: new Date() }));
      assert.deepEqual(on(calls, 'comments'), [], 'no guard of closeComments reads comments');
      assert.deepEqual(on(calls, 'revisions'), [], 'nor the revision');
      assert.deepEqual(on(calls, 'ballots'), []);
      assert.deepEqual(on(calls, 'documents'), ['documents.findOne', 'documents.findOneAndUpdate', 'documents.updateOne'], 'one read, one conditional update, and its mark removed once what follows has run');
      await system.notices.drain();
    });

    it('circulating reads the revision (and freezes it) but counts no comment; opening the ballot counts the comments once', async () => {
      const system = newTestSystem();
      const { id, by } = await makeDocument();
      const circulate = await callsDuring(() => system.lifecycle.move(actorOf(by), id, 'circulate', { now: new Date(), closesAt: later() }));
      assert.deepEqual(on(circulate, 'comments'), []);
      assert.deepEqual(on(circulate, 'revisions'), ['revisions.findOne', 'revisions.updateOne'], 'revisionValid reads it; the effect freezes it');
      await system.lifecycle.move(actorOf(by), id, 'closeComments', { now: new Date() });
      const open = await callsDuring(() => system.lifecycle.move(actorOf(by), id, 'openBallot', { now: new Date(), closesAt: later() }));
      assert.deepEqual(on(open, 'comments'), ['comments.countDocuments'], 'everyCommentDisposed');
      assert.deepEqual(on(open, 'revisions'), ['revisions.findOne', 'revisions.updateOne'], 'revisionValid, then the freeze');
      assert.deepEqual(on(open, 'ballots'), [], 'no ballot guard on this move');
      await system.notices.drain();
    });
  });

  describe('two applications in one process', () => {
    it('share the database and nothing else: each its own clock, mailer, notices and listeners', async () => {
      const a = keepingMailer();
      const b = keepingMailer();
      const reactedA: string[] = [];
      const systemA = newTestSystem({ mailer: a.mailer, clock: new ManualClock('2031-03-10T09:00:00Z'), extraListeners: [{ name: 'only-in-a', onMove: ({ name }) => void reactedA.push(name) }] });
      const systemB = newTestSystem({ mailer: b.mailer });
      const appA = appOf(systemA);
      const appB = appOf(systemB);
      await makeUser('member', { delegation: 'BY' });

      const one = await makeDocument();
      const { agent: inA } = await signIn(appA, one.by);
      const pageA = await inA.get(`/documents/${one.id}`).expect(200);
      await inA.post(`/documents/${one.id}/transitions/circulate`).type('form').send({ _csrf: csrfOf(pageA.text), closesDate: '2031-04-30' }).expect(303);
      await systemA.notices.drain();
      await systemB.notices.drain();
      assert.ok(a.sent.some((m) => m.subject.includes('Микросхемы')), 'the period-opened notice went out through A’s mailer');
      assert.equal(b.sent.length, 0, 'and not through B’s');
      assert.deepEqual(reactedA, ['circulate']);
      const movedInA = (await DocumentModel.findById(one.id).select({ history: 1 }).lean<DocumentRecord>())!.history.at(-1)!;
      assert.equal(movedInA.at.toISOString(), '2031-03-10T09:00:00.000Z', 'A’s clock');

      const two = await makeDocument();
      const { agent: inB } = await signIn(appB, two.by);
      const pageB = await inB.get(`/documents/${two.id}`).expect(200);
      const closes = later().toISOString().slice(0, 10);
      await inB.post(`/documents/${two.id}/transitions/circulate`).type('form').send({ _csrf: csrfOf(pageB.text), closesDate: closes }).expect(303);
      await systemB.notices.drain();
      assert.deepEqual(reactedA, ['circulate'], 'A’s listener hears nothing of B’s moves');
      assert.ok(b.sent.length > 0, 'B’s notice went through B’s mailer');
      const movedInB = (await DocumentModel.findById(two.id).select({ history: 1 }).lean<DocumentRecord>())!.history.at(-1)!;
      assert.notEqual(movedInB.at.getUTCFullYear(), 2031, 'B runs on its own clock');
    });
  });
});
