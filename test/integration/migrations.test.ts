import assert from 'node:assert/strict';
import { mongoose } from '../../server/db/mongoose.js';
import { daysAsText } from '../../server/db/migrations/days-as-text.js';
import { Comment } from '../../server/comments/model.js';
import { MissedReaction } from '../../server/lifecycle/model.js';
import { PAGED_LIST_INDEXES, pagedListIndexes, REPLACED_INDEXES, replacedIndexes } from '../../server/db/migrations/replaced-indexes.js';
import { peopleSearchWords } from '../../server/db/migrations/people-search-words.js';
import { User } from '../../server/users/model.js';
import { DocumentModel } from '../../server/documents/model.js';
import { runMigrations } from '../../server/db/migrations/run.js';
import { commentOrder } from '../../server/db/migrations/comment-order.js';
import { standardsBodies } from '../../server/db/migrations/standards-bodies.js';
import { releasedPositions } from '../../server/db/migrations/released-positions.js';
import { postComment } from '../../server/comments/service.js';
import { Conflict } from '../../server/errors.js';
import { testSystem } from '../helpers/app.js';
import { actorOf } from '../helpers/factories.js';
import { roundOfComments } from '../helpers/comments.js';

describe('storage migrations', () => {
  it('rewrites days stored as UTC-midnight Dates as «yyyy-mm-dd», once, keeping everything else', async () => {
    const db = mongoose.connection.db!;
    const _id = new mongoose.Types.ObjectId();
    const published = new Date('2027-02-01T09:00:00Z');
    const withdrawnAt = new Date('2027-06-02T08:00:00Z');
    await db.collection('documents').insertOne({
      _id, state: 'withdrawn', titles: { ru: 'Старый', en: 'Old' },
      publication: { designation: 'СТ СГ 1-2027', publishedAt: published, entryIntoForce: { BY: new Date('2027-07-01T00:00:00Z'), RU: new Date('2027-09-01T00:00:00Z') } },
      withdrawal: { at: new Date('2027-06-30T00:00:00Z'), reason: 'Устарел' },
      history: [{ action: 'withdraw', at: withdrawnAt }],
    });
    const rid = new mongoose.Types.ObjectId();
    await db.collection('designations').insertOne({ _id: rid, document: _id, entryIntoForce: [{ code: 'BY', date: new Date('2027-07-01T00:00:00Z') }] });

    const migrationsLeft = [{ ...daysAsText, id: `${daysAsText.id}-test-${_id}` }];
    assert.deepEqual(await runMigrations(db, migrationsLeft), [migrationsLeft[0]!.id]);
    const doc = await db.collection('documents').findOne({ _id });
    assert.deepEqual(doc!.publication.entryIntoForce, { BY: '2027-07-01', RU: '2027-09-01' });
    assert.equal(doc!.publication.publishedAt.getTime(), published.getTime(), 'instants stay instants');
    assert.deepEqual(doc!.withdrawal, { date: '2027-06-30', reason: 'Устарел', recordedAt: withdrawnAt });
    assert.deepEqual((await db.collection('designations').findOne({ _id: rid }))!.entryIntoForce, [{ code: 'BY', date: '2027-07-01' }]);

    assert.deepEqual(await runMigrations(db, migrationsLeft), [], 'a migration runs once');
    assert.equal(await daysAsText.up(db) >= 0, true);
    assert.deepEqual((await db.collection('documents').findOne({ _id }))!.withdrawal, { date: '2027-06-30', reason: 'Устарел', recordedAt: withdrawnAt }, 'and running it again changes nothing');
    await db.collection('documents').deleteOne({ _id });
    await db.collection('designations').deleteOne({ _id: rid });
  });

  it('drops the indexes a wider one replaced, keeps the new ones, and finds nothing to drop the second time', async () => {
    const db = mongoose.connection.db!;
    const names = async (collection: string) => (await db.collection(collection).indexes()).map((ix) => ix.name);
    // What the start-up does first: the models' indexes, the new ones among them.
    await Comment.createIndexes();
    await MissedReaction.createIndexes();
    for (const { collection, index } of REPLACED_INDEXES) {
      const keys = Object.fromEntries(index.split('_').flatMap((part, i, all) => (i % 2 ? [] : [[part, Number(all[i + 1])]])));
      await db.collection(collection).createIndex(keys, { name: index });
    }
    assert.equal(await replacedIndexes.up(db), REPLACED_INDEXES.length);
    for (const { collection, index, by } of REPLACED_INDEXES) {
      const now = await names(collection);
      assert.ok(!now.includes(index), `${collection}.${index} is dropped`);
      assert.ok(now.includes(by), `${collection}.${by} is there (the model declares it)`);
    }
    assert.equal(await replacedIndexes.up(db), 0);
  });

  it('drops the list indexes that gained _id when the lists came to be paged, keeping the new ones', async () => {
    const db = mongoose.connection.db!;
    const names = async (collection: string) => (await db.collection(collection).indexes()).map((ix) => ix.name);
    await User.createIndexes();
    await DocumentModel.createIndexes();
    const old: Record<string, Record<string, 1 | -1>> = {
      name_1: { name: 1 }, delegation_1_name_1: { delegation: 1, name: 1 }, role_1_delegation_1: { role: 1, delegation: 1 },
      'updatedAt_-1': { updatedAt: -1 }, 'state_1_updatedAt_-1': { state: 1, updatedAt: -1 },
    };
    for (const { collection, index } of PAGED_LIST_INDEXES) await db.collection(collection).createIndex(old[index]!, { name: index });
    assert.equal(await pagedListIndexes.up(db), PAGED_LIST_INDEXES.length);
    for (const { collection, index, by } of PAGED_LIST_INDEXES) {
      const now = await names(collection);
      assert.ok(!now.includes(index), `${collection}.${index} is dropped`);
      assert.ok(now.includes(by), `${collection}.${by} is there (the model declares it)`);
    }
    assert.equal(await pagedListIndexes.up(db), 0);
  });

  it('gives people stored before the search their search words, once, and leaves the others as they are', async () => {
    const db = mongoose.connection.db!;
    const _id = new mongoose.Types.ObjectId();
    const kept = new mongoose.Types.ObjectId();
    await db.collection('users').insertMany([
      { _id, email: `ёлкина.${_id}@example.org`, name: 'Анна Ёлкина-Сидорова', role: 'member', active: true },
      { _id: kept, email: `kept.${kept}@example.org`, name: 'Кто-то', role: 'member', active: true, searchWords: ['as', 'it', 'was'] },
    ]);
    const once = { ...peopleSearchWords, id: `${peopleSearchWords.id}-test-${_id}` };
    assert.deepEqual(await runMigrations(db, [once]), [once.id]);
    const words = (await db.collection('users').findOne({ _id }))!.searchWords as string[];
    for (const w of ['анна', 'елкина-сидорова', 'елкина', 'сидорова', `елкина.${_id}@example.org`, `елкина.${_id}`, 'example.org', String(_id)]) assert.ok(words.includes(w), `${w} in ${words.join(' ')}`);
    assert.deepEqual((await db.collection('users').findOne({ _id: kept }))!.searchWords, ['as', 'it', 'was']);
    assert.equal(await peopleSearchWords.up(db), 0, 'nothing left to do the second time');
    await db.collection('users').deleteMany({ _id: { $in: [_id, kept] } });
  });

  it('gives comments written before the summary order their place: clause in the revision, then anchor, once', async () => {
    const db = mongoose.connection.db!;
    const document = new mongoose.Types.ObjectId();
    await db.collection('revisions').insertOne({ document, number: 1, clauses: [{ key: 'scope' }, { key: 'terms' }, { key: 'safety' }] });
    const base = { document, round: 1, revision: 1, type: 'te', text: 'x', delegation: 'BY', status: 'released', createdAt: new Date() };
    const { insertedIds } = await db.collection('comments').insertMany([
      { ...base, clauseKey: 'safety', anchor: null },
      { ...base, clauseKey: 'terms', anchor: { kind: 'paragraph', ref: '10' } },
      { ...base, clauseKey: 'terms', anchor: { kind: 'paragraph', ref: '2' } },
      { ...base, clauseKey: 'gone', anchor: null },
      { ...base, clauseKey: 'scope', anchor: null, order: 'kept as it was' },
    ]);
    const once = { ...commentOrder, id: `${commentOrder.id}-test-${document}` };
    assert.deepEqual(await runMigrations(db, [once]), [once.id]);
    const orders = await Promise.all(Object.values(insertedIds).map(async (id) => (await db.collection('comments').findOne({ _id: id }))!.order));
    assert.deepEqual(orders, ['000002|000|', '000001|002|10', '000001|001|2', '999999|000|', 'kept as it was']);
    assert.deepEqual([...orders.slice(0, 4)].sort(), ['000001|001|2', '000001|002|10', '000002|000|', '999999|000|']);
    assert.equal(await commentOrder.up(db), 0, 'nothing left to do the second time');
  });

  it('records on each document the positions released on it before they were recorded there, once; then a comment of that delegation is refused', async () => {
    const db = mongoose.connection.db!;
    const round = await roundOfComments();
    const document = new mongoose.Types.ObjectId(round.id);
    const at = new Date('2027-01-20T10:00:00Z');
    // As a release stored it before: the position only, nothing on the document.
    await db.collection('nationalpositions').insertMany([
      { document, round: 1, delegation: 'BY', releasedAt: at, numbered: true, count: 0 },
      { document, round: 0, delegation: 'RU', releasedAt: at, numbered: true, count: 0 },
    ]);
    const before = await db.collection('documents').findOne({ _id: document });
    assert.equal(before!.releasedPositions, undefined);
    const comment = { clauseKey: 'scope', type: 'te' as const, text: 'После направления' };
    const once = { ...releasedPositions, id: `${releasedPositions.id}-test-${document}` };
    assert.deepEqual(await runMigrations(db, [once]), [once.id]);
    const after = await db.collection('documents').findOne({ _id: document });
    assert.deepEqual(after!.releasedPositions, [{ round: 1, delegation: 'BY', at }, { round: 0, delegation: 'RU', at }]);
    assert.equal(after!.updatedAt.getTime(), before!.updatedAt.getTime(), 'the rest of the document as it was');
    assert.equal(await releasedPositions.up(db), 0, 'nothing left to do the second time');
    assert.deepEqual((await db.collection('documents').findOne({ _id: document }))!.releasedPositions, after!.releasedPositions);

    const refused = await postComment(actorOf(round.members.BY), round.id, comment, new Date(), testSystem().notices).then(() => undefined, (err: unknown) => err);
    assert.ok(refused instanceof Conflict);
    assert.equal(refused.messageKey, 'comments.positionReleased');
    // RU released in another round only: it still writes in this one.
    await postComment(actorOf(round.members.RU), round.id, comment, new Date(), testSystem().notices);
    assert.deepEqual((await Comment.find({ document }).lean()).map((c) => c.delegation), ['RU']);
  });

  it('names the national standards body of a delegation stored without one, and leaves any other as it is', async () => {
    const db = mongoose.connection.db!;
    const before = await db.collection('delegations').find({ code: { $in: ['BY', 'RU'] } }).toArray();
    try {
      await db.collection('delegations').updateOne({ code: 'BY' }, { $unset: { standardsBody: '' } });
      await db.collection('delegations').updateOne({ code: 'RU' }, { $set: { standardsBody: { ru: 'Росстандарт (ФАТРиМ)', en: 'Rosstandart' } } });
      assert.equal(await standardsBodies.up(db), 1);
      assert.equal((await db.collection('delegations').findOne({ code: 'BY' }))!.standardsBody.ru, 'Госстандарт Республики Беларусь');
      assert.equal((await db.collection('delegations').findOne({ code: 'RU' }))!.standardsBody.ru, 'Росстандарт (ФАТРиМ)');
      assert.equal(await standardsBodies.up(db), 0, 'nothing left to do the second time');
    } finally {
      for (const d of before) await db.collection('delegations').replaceOne({ _id: d._id }, d);
    }
  });
});
