import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { csrfOf, signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { makeUser } from '../helpers/factories.js';
import { testApp } from '../helpers/app.js';
import { roundOfComments, writeComment, type Round } from '../helpers/comments.js';
import { listen } from '../helpers/http-server.js';
import { makePublishedDocument } from '../helpers/publishing.js';

const noStore = 'private, no-store';

/** The raw answer to a GET, with the body decoded as its Content-Encoding says. */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; wire: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const wire = Buffer.concat(chunks);
        const enc = res.headers['content-encoding'];
        const body = enc === 'br' ? zlib.brotliDecompressSync(wire) : enc === 'gzip' ? zlib.gunzipSync(wire) : wire;
        resolve({ status: res.statusCode!, headers: res.headers, wire: wire.length, body });
      });
    }).on('error', reject);
  });
}

const varies = (h: Record<string, unknown>) => String(h.vary ?? '').split(',').map((v) => v.trim().toLowerCase());

describe('caching and compression', function () {
  this.timeout(60_000);
  let app: Express;
  let round: Round;
  let member: Agent;
  let token: string;
  let published: string;

  before(async () => {
    app = testApp();
    round = await roundOfComments();
    await writeComment(round.id, round.members.BY, { clauseKey: 'scope' });
    ({ agent: member } = await signIn(app, round.members.BY));
    token = await tokenFor(round.members.BY);
    published = (await makePublishedDocument()).id;
  });

  it('keeps what is built for its caller out of every cache', async () => {
    const signedInPages = ['/', '/account', '/catalogue', `/catalogue/${published}`, `/documents/${round.id}`, `/documents/${round.id}/comments`];
    const confidential = [
      `/documents/${round.id}/revisions/1/pdf`,
      `/documents/${round.id}/comments/export.csv`,
      `/documents/${round.id}/comments/export.xlsx`,
      `/documents/${round.id}/comments/export.pdf`,
      '/api/me',
      '/api/documents',
      `/api/documents/${round.id}`,
    ];
    for (const path of [...signedInPages, ...confidential]) {
      const withSession = await member.get(path).buffer(true);
      assert.equal(withSession.status, 200, path);
      assert.equal(withSession.headers['cache-control'], noStore, `${path} with a session`);
      assert.ok(varies(withSession.headers).includes('cookie'), `${path} varies by Cookie`);
      const withToken = await request(app).get(path).set('Authorization', `Bearer ${token}`).buffer(true);
      assert.equal(withToken.headers['cache-control'], noStore, `${path} with a token`);
    }
    // Anonymous, but not public: sign-in (a CSRF cookie), the API, an error.
    for (const path of ['/sign-in', '/api/documents', `/documents/${round.id}`, '/catalogue/nonsense']) {
      const res = await request(app).get(path);
      assert.equal(res.headers['cache-control'], noStore, path);
    }
  });

  it('stores no signed-in page of any role, and after signing out Back shows none from a cache', async () => {
    const pages: Record<string, string[]> = {
      administrator: ['/', '/account', '/admin/users', '/admin/delegations', '/admin/settings', '/admin/product-groups', '/catalogue'],
      secretariat: ['/', '/account', '/documents', `/documents/${round.id}`, `/documents/${round.id}/comments`, '/catalogue', `/catalogue/${published}`, `/verify/${published}`],
      head: ['/', '/account', `/documents/${round.id}/comments`, `/documents/${round.id}/position`],
      manufacturer: ['/', '/account', '/catalogue', `/catalogue/${published}`, `/verify/${published}`],
    };
    for (const [role, paths] of Object.entries(pages)) {
      const user = await makeUser(role as 'administrator', role === 'head' ? { delegation: 'BY' } : {});
      const { agent } = await signIn(app, user);
      for (const path of paths) {
        const res = await agent.get(path);
        assert.equal(res.status, 200, `${role} ${path}`);
        assert.match(String(res.headers['content-type']), /^text\/html/, `${role} ${path}`);
        assert.match(String(res.headers['cache-control']), /\bno-store\b/, `${role} ${path}`);
      }
      // Signing out: the browser is told to drop what it keeps of the site (its back-forward cache too).
      const account = await agent.get('/account').expect(200);
      const out = await agent.post('/sign-out').type('form').send({ _csrf: csrfOf(account.text) }).expect(303);
      assert.equal(out.headers['clear-site-data'], '"cache"', role);
      assert.match(String(out.headers['cache-control']), /\bno-store\b/);
      // What Back would fetch again is now the sign-in, never the signed-in page, and it is not stored either.
      const again = await agent.get('/account');
      assert.ok(again.status === 302 || again.status === 303 || again.status === 401, `${role}: /account after sign-out answers ${again.status}`);
      assert.match(String(again.headers['cache-control']), /\bno-store\b/);
    }
  });

  it('lets shared caches keep public pages a minute, for anonymous visitors only', async () => {
    for (const path of ['/catalogue', `/catalogue/${published}`, '/catalogue/feed.atom', `/verify/${published}`, '/api/openapi.json']) {
      const res = await request(app).get(path).expect(200);
      assert.equal(res.headers['cache-control'], 'public, max-age=60', path);
      assert.deepEqual(varies(res.headers).filter((v) => v === 'cookie' || v === 'authorization').sort(), ['authorization', 'cookie'], path);
      assert.equal(res.headers['set-cookie'], undefined, path);
      const signedIn = await member.get(path).expect(200);
      assert.equal(signedIn.headers['cache-control'], noStore, `${path} signed in`);
    }
    // A search that is refused is not kept.
    const refused = await request(app).get('/catalogue?group=no-such-group');
    assert.notEqual(refused.status, 200);
    assert.equal(refused.headers['cache-control'], noStore);
    // The published PDF is the same bytes for everyone, whoever asks: public; its newest edition is asked
    // for again (an amendment replaces it, docs/amendments.md), an edition's own file is immutable.
    const pdf = await member.get(`/catalogue/${published}/pdf`).expect(200);
    assert.equal(pdf.headers['cache-control'], 'public, no-cache');
    const first = await member.get(`/catalogue/${published}/editions/1/pdf`).expect(200);
    assert.equal(first.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('compresses text with brotli or gzip, never PDFs or ranges', async () => {
    const server = await listen(app);
    try {
      const cookie = await sessionCookieOf(member);
      for (const [path, headers] of [
        [`/documents/${round.id}`, { Cookie: cookie }],
        ['/api/openapi.json', {}],
        ['/catalogue', {}],
        [`/documents/${round.id}/comments`, { Authorization: `Bearer ${token}` }],
      ] as const) {
        const plain = await rawGet(server.base, path, { ...headers });
        assert.equal(plain.headers['content-encoding'], undefined, path);
        for (const encoding of ['br', 'gzip']) {
          const res = await rawGet(server.base, path, { ...headers, 'Accept-Encoding': encoding });
          assert.equal(res.status, 200, path);
          assert.equal(res.headers['content-encoding'], encoding, `${path} ${encoding}`);
          assert.ok(varies(res.headers).includes('accept-encoding'), path);
          // The same page once decoded (a form's CSRF token may differ from one answer to the next).
          assert.equal(res.body.subarray(0, 200).toString(), plain.body.subarray(0, 200).toString(), path);
          assert.ok(Math.abs(res.body.length - plain.body.length) < 200, `${path}: ${res.body.length} bytes decoded, ${plain.body.length} sent plain`);
          assert.ok(res.wire < plain.wire / 2, `${path}: ${res.wire} bytes of ${plain.wire} with ${encoding}`);
        }
      }
      for (const [path, headers] of [
        [`/catalogue/${published}/pdf`, {}],
        [`/catalogue/${published}/pdf`, { Range: 'bytes=0-4095' }],
        [`/documents/${round.id}/revisions/1/pdf`, { Cookie: cookie }],
        [`/documents/${round.id}/comments/export.pdf`, { Cookie: cookie }],
        [`/documents/${round.id}/comments/export.xlsx`, { Cookie: cookie }],
      ] as const) {
        const res = await rawGet(server.base, path, { ...headers, 'Accept-Encoding': 'br, gzip' });
        assert.ok(res.status === 200 || res.status === 206, path);
        assert.equal(res.headers['content-encoding'], undefined, path);
      }
    } finally {
      await server.close();
    }
  });
});

/** The session cookie a signed-in agent sends. */
async function sessionCookieOf(agent: Agent): Promise<string> {
  const res = await agent.get('/api/me').expect(200);
  const sent = (res.request as unknown as { cookies?: string; header?: Record<string, string> });
  const cookie = sent.cookies ?? sent.header?.Cookie ?? '';
  assert.match(cookie, /accord\.sid=/);
  return cookie;
}
