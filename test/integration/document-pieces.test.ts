// The document page and its redline sent from the kept text (server/http/page-pieces.ts, docs/architecture.md
// «Large pages»): the same bytes as the page rendered whole, each person's own parts, conditional requests,
// HEAD and gzip, and a draft's edit seen at once.
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp, transition } from '../helpers/app.js';
import { actorOf, makeDocument, makeUser, type MadeUser } from '../helpers/factories.js';
import { roundOfComments, writeComment, type Round } from '../helpers/comments.js';
import { listen } from '../helpers/http-server.js';
import { keptBlocks } from '../../server/http/page-pieces.js';
import { localsFor } from '../../server/http/locals.js';
import { documentPage } from '../../server/documents/pages.js';
import { getDocument } from '../../server/documents/index.js';
import { clauseComments } from '../../server/comments/index.js';

const withoutCsrf = (html: string) => html.replace(/(name="_csrf" value=")[^"]*"/g, '$1…"');

function rawRequest(base: string, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; wire: Buffer; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const wire = Buffer.concat(chunks);
        const enc = res.headers['content-encoding'];
        const body = !wire.length ? wire : enc === 'br' ? zlib.brotliDecompressSync(wire) : enc === 'gzip' ? zlib.gunzipSync(wire) : wire;
        resolve({ status: res.statusCode!, headers: res.headers, wire, body });
      });
    }).on('error', reject).end();
  });
}

/** The session cookie a signed-in agent sends. */
async function cookieOf(agent: Agent): Promise<string> {
  const res = await agent.get('/api/me').expect(200);
  const sent = res.request as unknown as { cookies?: string; header?: Record<string, string> };
  return sent.cookies ?? sent.header?.Cookie ?? '';
}

const marksOf = (html: string) => {
  const $ = cheerio.load(html);
  return {
    write: $('[data-test=comment-on-clause]').length,
    counts: Object.fromEntries($('[data-test=clause-comments]').toArray().map((a) => [$(a).closest('.clause').attr('id'), $(a).text().trim()])),
  };
};

describe('large pages sent from their kept text', function () {
  this.timeout(60_000);
  let app: Express;
  let round: Round;
  let by: { agent: Agent; csrf: string };
  let ru: { agent: Agent; csrf: string };

  before(async () => {
    app = testApp();
    round = await roundOfComments();
    await writeComment(round.id, round.members.BY, { clauseKey: 'scope' });
    by = await signIn(app, round.members.BY);
    ru = await signIn(app, round.members.RU);
  });

  /** The page as res.render would have sent it whole: the same view model rendered into one string. */
  async function renderedWhole(user: MadeUser, path: string): Promise<string> {
    const actor = actorOf(user);
    const doc = await getDocument(actor, round.id);
    const model = await documentPage(actor, doc, doc.currentRevision, 'ru', new Date(), clauseComments);
    const locals = localsFor({ ...actor, delegationCode: user.delegation ?? null } as unknown as Express.User, 'ru', path);
    return new Promise((resolve, reject) => app.render('documents/show', { ...locals, ...model, csrf: () => 'token' }, (err, html) => (err ? reject(err) : resolve(html))));
  }

  it('gives two people their own counts and actions around one kept text, byte for byte the page rendered whole', async () => {
    const path = `/documents/${round.id}`;
    const byPage = await by.agent.get(path).expect(200);
    const blocks = keptBlocks.count;
    const ruPage = await ru.agent.get(path).expect(200);
    assert.equal(keptBlocks.count, blocks, 'the second person’s page renders no text of its own');
    assert.deepEqual(marksOf(byPage.text).counts, { 'clause-scope': '1 замечание' });
    assert.deepEqual(marksOf(ruPage.text).counts, {});
    assert.ok(marksOf(ruPage.text).write > 5 && marksOf(ruPage.text).write === marksOf(byPage.text).write);
    assert.ok(!byPage.text.includes('<!--mark:') && !byPage.text.includes('<!--piece:'));
    assert.notEqual(byPage.headers.etag, ruPage.headers.etag);
    assert.match(String(byPage.headers['content-type']), /^text\/html; charset=utf-8$/);

    assert.equal(withoutCsrf(byPage.text), withoutCsrf(await renderedWhole(round.members.BY, path)));
    assert.equal(withoutCsrf(ruPage.text), withoutCsrf(await renderedWhole(round.members.RU, path)));
  });

  it('answers a conditional request with 304 while the page is the same, and a new count with a new ETag', async () => {
    const path = `/documents/${round.id}`;
    const first = await ru.agent.get(path).expect(200);
    const again = await ru.agent.get(path).set('If-None-Match', first.headers.etag).expect(304);
    assert.equal(again.text ?? '', '');
    // The RU delegation writes a comment: the count beside the clause is new, so is the page.
    await writeComment(round.id, round.members.RU, { clauseKey: 'scope' });
    const changed = await ru.agent.get(path).set('If-None-Match', first.headers.etag).expect(200);
    assert.deepEqual(marksOf(changed.text).counts, { 'clause-scope': '1 замечание' });
    assert.notEqual(changed.headers.etag, first.headers.etag);
  });

  it('sends the kept text compressed once to a client that takes gzip; HEAD has the headers and no body', async () => {
    const server = await listen(app);
    try {
      // The secretariat has no count or action beside the clauses before positions are released.
      const secretariat = await signIn(app, round.secretariat);
      const cookie = await cookieOf(secretariat.agent);
      const path = `/documents/${round.id}`;
      const plain = await rawRequest(server.base, path, { Cookie: cookie });
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(marksOf(plain.body.toString()).write + Object.keys(marksOf(plain.body.toString()).counts).length, 0);
      const held = keptBlocks.bytesHeld;
      const gz = await rawRequest(server.base, path, { Cookie: cookie, 'Accept-Encoding': 'gzip, deflate, br' });
      assert.equal(gz.status, 200);
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.ok(String(gz.headers.vary).toLowerCase().includes('accept-encoding'));
      assert.equal(Number(gz.headers['content-length']), gz.wire.length);
      assert.ok(keptBlocks.bytesHeld > held, 'the compressed text is kept');
      assert.equal(withoutCsrf(gz.body.toString()), withoutCsrf(plain.body.toString()));
      assert.ok(gz.wire.length < plain.wire.length / 3, `${gz.wire.length} of ${plain.wire.length} bytes`);
      assert.equal(gz.headers.etag, plain.headers.etag);
      // Once more: the same bytes from the kept compressed text.
      const gz2 = await rawRequest(server.base, path, { Cookie: cookie, 'Accept-Encoding': 'gzip' });
      assert.equal(withoutCsrf(gz2.body.toString()), withoutCsrf(plain.body.toString()));
      assert.equal((await rawRequest(server.base, path, { Cookie: cookie, 'Accept-Encoding': 'gzip', 'If-None-Match': String(plain.headers.etag) })).status, 304);

      const head = await rawRequest(server.base, path, { Cookie: cookie }, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.wire.length, 0);
      assert.equal(head.headers['content-length'], plain.headers['content-length']);
      assert.equal(head.headers.etag, plain.headers.etag);

      // Brotli only: the compression middleware compresses the page as it does any other.
      const br = await rawRequest(server.base, path, { Cookie: cookie, 'Accept-Encoding': 'br' });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(withoutCsrf(br.body.toString()), withoutCsrf(plain.body.toString()));
      // A person's own parts inside the text: compressed by the middleware, the same page once decoded.
      const byCookie = await cookieOf(by.agent);
      const byPlain = await rawRequest(server.base, path, { Cookie: byCookie });
      const byGz = await rawRequest(server.base, path, { Cookie: byCookie, 'Accept-Encoding': 'gzip' });
      assert.equal(byGz.headers['content-encoding'], 'gzip');
      assert.equal(withoutCsrf(byGz.body.toString()), withoutCsrf(byPlain.body.toString()));
      assert.deepEqual(marksOf(byGz.body.toString()).counts, { 'clause-scope': '1 замечание' });
    } finally {
      await server.close();
    }
  });

  it('shows an edit of the draft at once, on its page and in its redline', async () => {
    const secretary = await makeUser('secretariat');
    const { agent } = await signIn(app, secretary);
    const { id } = await makeDocument({ by: secretary });
    const bearer = await tokenFor(secretary);
    const api = (method: 'get' | 'patch' | 'post', url: string, body?: object) => request(app)[method](url).set('Authorization', `Bearer ${bearer}`).send(body);
    const edit = async (n: number, body: string) => {
      const rev = (await api('get', `/api/documents/${id}/revisions/${n}`).expect(200)).body as { version: number; clauses: { key: string; kind: string }[] };
      await api('patch', `/api/documents/${id}/clauses/scope`, { version: rev.version, patch: { body } }).expect(200);
    };
    const scopeText = async () => cheerio.load((await agent.get(`/documents/${id}`).expect(200)).text)('#clause-scope').text();

    await edit(1, 'Настоящий стандарт распространяется на микросхемы первой редакции.');
    assert.match(await scopeText(), /первой редакции/);
    await edit(1, 'Настоящий стандарт распространяется на микросхемы исправленной редакции.');
    const after = await scopeText();
    assert.match(after, /исправленной редакции/);
    assert.doesNotMatch(after, /первой редакции/);

    // Revision 1 frozen, revision 2 a draft: its redline against revision 1 follows each edit.
    await transition(actorOf(secretary), id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000), acceptWarnings: true });
    await transition(actorOf(secretary), id, 'closeComments', { now: new Date() });
    await transition(actorOf(secretary), id, 'newRound', { now: new Date() });
    await api('post', `/api/documents/${id}/revisions`).expect(201);
    const redline = async () => cheerio.load((await agent.get(`/documents/${id}/compare?from=1&to=2`).expect(200)).text)('#clause-scope').text();
    assert.doesNotMatch(await redline(), /второй редакции/);
    await edit(2, 'Настоящий стандарт распространяется на микросхемы второй редакции.');
    assert.match(await redline(), /второй редакции/);
    await edit(2, 'Настоящий стандарт распространяется на микросхемы третьей правки.');
    const r = await redline();
    assert.match(r, /третьей правки/);
    assert.doesNotMatch(r, /второй редакции/);
    assert.match(await scopeText(), /третьей правки/);
  });
});
