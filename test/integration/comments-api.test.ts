// The comment stage through the JSON API with personal tokens: every step of the pages (write, edit, reply,
// drop, merge, release, dispose, the summary and its exports), the pages' rules, and bad input answered with
// JSON 4xx that changes nothing. Who sees what is walked in comment-visibility-api.test.ts.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { signIn, tokenFor } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeUser, type MadeUser } from '../helpers/factories.js';
import { commentsOf, roundOfComments, setCommentPeriod, storedComment, uniqueTitle } from '../helpers/comments.js';

describe('the comment stage through the JSON API', () => {
  let app: Express;
  let docId = '';
  const tokens: Record<string, string> = {};
  const users: Record<string, MadeUser> = {};

  const as = (who: string) => ({
    get: (url: string) => request(app).get(url).set('Authorization', `Bearer ${tokens[who]}`),
    post: (url: string, body?: unknown) => request(app).post(url).set('Authorization', `Bearer ${tokens[who]}`).send(body as object),
    patch: (url: string, body?: unknown) => request(app).patch(url).set('Authorization', `Bearer ${tokens[who]}`).send(body as object),
  });
  const api = () => `/api/documents/${docId}`;

  before(async function () {
    this.timeout(60_000);
    app = testApp();
    const round = await roundOfComments(uniqueTitle('Станки зубообрабатывающие'));
    docId = round.id;
    users.memberBY = round.members.BY;
    users.memberRU = round.members.RU;
    users.secretariat = round.secretariat;
    users.otherBY = await makeUser('member', { delegation: 'BY' });
    users.headBY = await makeUser('head', { delegation: 'BY' });
    users.headRU = await makeUser('head', { delegation: 'RU' });
    users.manufacturer = await makeUser('manufacturer');
    for (const [k, u] of Object.entries(users)) tokens[k] = await tokenFor(u);
  });

  let first = '';
  it('posts a comment (201 with Location) that only its delegation sees', async () => {
    const res = await as('memberBY').post(`${api()}/comments`, { clauseKey: 'scope', type: 'te', text: 'Уточнить «область» ± 5 °C', proposedChange: 'Заменить.', anchor: { kind: 'paragraph', ref: '2' }, line: '12–14' }).expect(201);
    first = res.body.id;
    assert.equal(res.body.line, '12–14');
    assert.equal(res.headers.location, `${api()}/comments/${first}`);
    assert.equal(res.body.status, 'internal');
    assert.equal(res.body.text, 'Уточнить «область» ± 5 °C');
    assert.deepEqual(res.body.anchor, { kind: 'paragraph', ref: '2' });
    assert.equal(res.body.mine, true);
    assert.equal(res.body.can.edit, true);
    assert.ok(res.body.clause.label);
    await as('otherBY').get(res.headers.location).expect(200);
    await as('memberRU').get(res.headers.location).expect(404);
    await as('secretariat').get(res.headers.location).expect(404);
    await as('manufacturer').get(res.headers.location).expect(403);
    const mine = (await as('otherBY').get(`${api()}/comments`).expect(200)).body;
    assert.deepEqual(mine.internal.map((c: { id: string }) => c.id), [first]);
    assert.equal(mine.can.comment, true);
    assert.equal(mine.delegation, 'BY');
    const theirs = (await as('memberRU').get(`${api()}/comments`).expect(200)).body;
    assert.deepEqual(theirs.internal, []);
    assert.equal(theirs.released.total, 0);
  });

  it('refuses bad input with JSON 4xx naming the field, and stores nothing', async () => {
    const before = (await commentsOf(docId)).length;
    const cases: [unknown, number, string][] = [
      [{ clauseKey: 'no-such-clause', type: 'te', text: 'x' }, 422, 'clauseKey'],
      [{ clauseKey: 'scope', type: 'xx', text: 'x' }, 422, 'type'],
      [{ clauseKey: 'scope', type: 'te', text: '   ' }, 422, 'text'],
      [{ clauseKey: 'scope', type: 'te', text: 'x', line: 4 }, 422, 'line'],
      [{ clauseKey: { $ne: 1 }, type: 'te', text: 'x' }, 422, 'clauseKey'],
      [{ clauseKey: 'scope', type: 'te', text: 'x'.repeat(10_001) }, 422, 'text'],
      [{ clauseKey: 'scope', type: 'te', text: 'x', anchor: { kind: 'table' } }, 422, 'anchor.ref'],
    ];
    for (const [body, status, field] of cases) {
      const res = await as('memberBY').post(`${api()}/comments`, body).expect(status);
      assert.ok(res.body.error.message, JSON.stringify(body));
      assert.ok(res.body.error.fields?.[field], `${JSON.stringify(body).slice(0, 80)}: ${JSON.stringify(res.body.error)}`);
    }
    const malformed = await request(app).post(`${api()}/comments`).set('Authorization', `Bearer ${tokens.memberBY}`).type('json').send('{"clauseKey": ').expect(400);
    assert.ok(malformed.body.error.message);
    await request(app).post(`${api()}/comments`).set('Authorization', `Bearer ${tokens.memberBY}`).type('json').send('[1,2]').expect(400);
    await as('memberBY').post('/api/documents/000000000000000000000000/comments', { clauseKey: 'scope', type: 'te', text: 'x' }).expect(404);
    await as('memberBY').get(`${api()}/comments?round=abc`).expect(422);
    await as('memberBY').get(`${api()}/comments?type=zz`).expect(422);
    await as('memberBY').get(`${api()}/comment-summary?delegation=by`).expect(422);
    await as('memberBY').get(`${api()}/comments/not-an-id`).expect(404);
    await as('secretariat').post(`${api()}/comments`, { clauseKey: 'scope', type: 'te', text: 'x' }).expect(403);
    assert.equal((await commentsOf(docId)).length, before);
  });

  it('lets only the author edit, at the version read, keeping the edit trail', async () => {
    const url = `${api()}/comments/${first}`;
    const other = await as('otherBY').patch(url, { version: 0, text: 'Чужая правка' }).expect(403);
    assert.ok(other.body.error.message);
    await as('memberRU').patch(url, { version: 0, text: 'x' }).expect(404);
    const edited = (await as('memberBY').patch(url, { version: 0, text: 'Уточнить область применения', proposedChange: null }).expect(200)).body;
    assert.equal(edited.text, 'Уточнить область применения');
    assert.equal(edited.proposedChange, null);
    assert.equal(edited.type, 'te');
    assert.deepEqual(edited.anchor, { kind: 'paragraph', ref: '2' });
    assert.equal(edited.version, 1);
    assert.equal(edited.edits.length, 1);
    assert.equal(edited.edits[0].text, 'Уточнить «область» ± 5 °C');
    assert.equal(edited.line, '12–14', 'a line number left out of the edit is kept');
    const stale = await as('memberBY').patch(url, { version: 0, text: 'Старая версия' }).expect(409);
    assert.ok(stale.body.error.message);
    await as('memberBY').patch(url, { text: 'без версии' }).expect(422);
    await as('memberBY').patch(url, { version: 1, line: 'x'.repeat(41) }).expect(422);
    assert.equal((await storedComment(first)).text, 'Уточнить область применения');
    const cleared = (await as('memberBY').patch(url, { version: 1, line: null }).expect(200)).body;
    assert.equal(cleared.line, null);
    assert.equal(cleared.version, 2);
  });

  it('replies inside the delegation, and the head drops and merges', async () => {
    const reply = await as('otherBY').post(`${api()}/comments/${first}/replies`, { text: 'Согласен.' }).expect(201);
    assert.equal(reply.body.replies.length, 1);
    assert.equal(reply.body.replies[0].internal, true);
    await as('memberBY').post(`${api()}/comments/${first}/replies`, {}).expect(422);
    const second = (await as('otherBY').post(`${api()}/comments`, { clauseKey: 'scope', type: 'ed', text: 'Второе замечание' }).expect(201)).body.id;
    const third = (await as('otherBY').post(`${api()}/comments`, { clauseKey: 'terms', type: 'ge', text: 'Третье замечание' }).expect(201)).body.id;
    await as('memberBY').post(`${api()}/comments/${second}/merge`, { into: first }).expect(403);
    await as('headBY').post(`${api()}/comments/${second}/merge`, { into: second }).expect(422);
    const merged = (await as('headBY').post(`${api()}/comments/${second}/merge`, { into: first }).expect(200)).body;
    assert.equal(merged.id, first);
    assert.match(merged.text, /Второе замечание/);
    assert.equal(merged.edits.at(-1).merged, true);
    assert.deepEqual((await as('headBY').post(`${api()}/comments/${third}/drop`).expect(200)).body, { id: third, status: 'dropped' });
    assert.equal((await storedComment(third)).status, 'dropped');
    assert.equal((await storedComment(second)).status, 'merged');
    const list = (await as('headBY').get(`${api()}/comments`).expect(200)).body;
    assert.deepEqual(list.internal.map((c: { status: string }) => c.status).sort(), ['dropped', 'internal']);
    assert.equal(list.can.release, true);
  });

  it('needs a CSRF token for a session-cookie call, not for a token call', async () => {
    const s = await signIn(app, users.otherBY!);
    const body = { clauseKey: 'safety', type: 'ed', text: 'Из сеанса' };
    const refused = await s.agent.post(`${api()}/comments`).send(body).expect(403);
    assert.ok(refused.body.error.message);
    const ok = await s.agent.post(`${api()}/comments`).set('X-CSRF-Token', s.csrf).send(body).expect(201);
    // The comment is not wanted in the position: the head drops it again.
    await as('headBY').post(`${api()}/comments/${ok.body.id}/drop`).expect(200);
  });

  it('releases the position (head), after which the delegation writes and edits no more', async () => {
    await as('memberBY').post(`${api()}/position`).expect(403);
    const before = (await as('headBY').get(`${api()}/position`).expect(200)).body;
    assert.deepEqual([before.released, before.count, before.canRelease], [false, 1, true]);
    const res = await as('headBY').post(`${api()}/position`).expect(201);
    assert.equal(res.headers.location, `${api()}/position`);
    assert.deepEqual([res.body.released, res.body.count, res.body.canRelease], [true, 1, false]);
    const again = await as('headBY').post(`${api()}/position`).expect(409);
    assert.ok(again.body.error.message);
    const late = await as('memberBY').post(`${api()}/comments`, { clauseKey: 'scope', type: 'te', text: 'Поздно' }).expect(409);
    assert.ok(late.body.error.message);
    await as('memberBY').patch(`${api()}/comments/${first}`, { version: (await storedComment(first)).version, text: 'x' }).expect(409);
    const c = (await as('memberRU').get(`${api()}/comments/${first}`).expect(200)).body;
    assert.equal(c.number, 'BY-001');
    assert.deepEqual(c.replies, [], 'the delegation’s own discussion stays with it');
    assert.deepEqual(c.edits, [], 'so does its edit trail');
    assert.equal((await as('otherBY').get(`${api()}/comments/${first}`).expect(200)).body.replies.length, 1);
  });

  it('lets the secretariat dispose, with the reason rules, and gives the summary with links to its exports', async () => {
    const url = `${api()}/comments/${first}/disposition`;
    await as('headRU').post(url, { decision: 'accepted' }).expect(403);
    const noReason = await as('secretariat').post(url, { decision: 'rejected' }).expect(422);
    assert.ok(noReason.body.error.fields.reason);
    const r99 = await as('secretariat').post(url, { decision: 'accepted', appliedInRevision: 99 });
    assert.equal(r99.status, 422, JSON.stringify(r99.body));
    await as('secretariat').post(url, { decision: 'maybe' }).expect(422);
    const done = (await as('secretariat').post(url, { decision: 'partially', reason: 'Частично учтено', appliedInRevision: 1 }).expect(200)).body;
    assert.equal(done.disposition.decision, 'partially');
    assert.equal(done.disposition.reason, 'Частично учтено');
    assert.equal(done.can.dispose, true);
    const seen = (await as('memberRU').get(`${api()}/comments?delegation=BY`).expect(200)).body;
    assert.deepEqual(seen.released.comments.map((c: { number: string }) => c.number), ['BY-001']);
    assert.equal(seen.released.comments[0].disposition.decision, 'partially');
    const summary = (await as('memberRU').get(`${api()}/comment-summary`).expect(200)).body;
    assert.equal(summary.rows.length, 1);
    assert.equal(summary.rows[0].number, 'BY-001');
    assert.equal(summary.rows[0].mb, 'BY');
    assert.match(summary.rows[0].observations, /Частично учтено/);
    assert.equal(summary.statistics.total, 1);
    for (const [kind, type] of [['csv', 'text/csv'], ['xlsx', 'spreadsheetml'], ['docx', 'wordprocessingml'], ['pdf', 'application/pdf']] as const) {
      const link = summary.links.exports[kind] as string;
      const res = await as('memberRU').get(link).buffer(true).expect(200);
      assert.ok(String(res.headers['content-type']).includes(type), `${kind}: ${res.headers['content-type']}`);
    }
    // The same files by content negotiation on the summary's own address.
    const csvLink = (await as('memberRU').get(summary.links.exports.csv).buffer(true).expect(200)).text;
    const negotiated = await as('memberRU').get(`${api()}/comment-summary`).set('Accept', 'text/csv').buffer(true).expect(200);
    assert.match(String(negotiated.headers['content-type']), /^text\/csv/);
    assert.equal(negotiated.text, csvLink);
    assert.match(String(negotiated.headers.vary), /Accept/);
    const pdf = await as('memberRU').get(`${api()}/comment-summary`).set('Accept', 'application/pdf, application/json;q=0.5').buffer(true).expect(200);
    assert.match(String(pdf.headers['content-type']), /^application\/pdf/);
    const json = await as('memberRU').get(`${api()}/comment-summary`).set('Accept', 'application/json, text/csv;q=0.5').expect(200);
    assert.equal(json.body.rows.length, 1);
    const filtered = (await as('memberRU').get(`${api()}/comment-summary?type=ed`).expect(200)).body;
    assert.equal(filtered.rows.length, 0);
    assert.match(filtered.links.exports.csv, /type=ed/);
  });

  it('refuses comments once the period has closed', async () => {
    const round = await roundOfComments(uniqueTitle('Станки фрезерные'));
    const t = await tokenFor(round.members.BY);
    await setCommentPeriod(round.id, { closesAt: new Date(Date.now() - 60_000) });
    const res = await request(app).post(`/api/documents/${round.id}/comments`).set('Authorization', `Bearer ${t}`).send({ clauseKey: 'scope', type: 'te', text: 'x' }).expect(409);
    assert.ok(res.body.error.message);
    const list = (await request(app).get(`/api/documents/${round.id}/comments`).set('Authorization', `Bearer ${t}`).expect(200)).body;
    assert.equal(list.can.comment, false);
  });
});
