import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { tokenFor } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument, makeUser } from '../helpers/factories.js';
import { createProductGroup } from '../../server/documents/product-groups.js';

type Operation = {
  operationId?: string;
  security: Record<string, unknown>[];
  parameters: { name: string; in: string; schema: { pattern?: string; enum?: string[] } }[];
  requestBody?: { required: boolean; content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }> };
  responses: Record<string, { headers?: Record<string, unknown> }>;
};

describe('the OpenAPI document says what the API does', () => {
  let app: Express;
  let doc: { paths: Record<string, Record<string, Operation>> };
  const op = (path: string, method: string) => doc.paths[path]![method]!;

  before(async () => {
    app = testApp();
    doc = (await request(app).get('/api/openapi.json').expect(200)).body;
  });

  it('names every operation once', () => {
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
    assert.ok(ids.length > 15);
    assert.ok(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id)), ids.join(', '));
    assert.equal(new Set(ids).size, ids.length);
  });

  it('lists 201 with Location for a created document, and the statuses the server answers', () => {
    const create = op('/api/documents', 'post');
    assert.deepEqual(Object.keys(create.responses).sort(), ['201', '401', '422', '4XX']);
    assert.ok(create.responses['201']!.headers!.Location);
    assert.ok(op('/api/documents/{id}/revisions', 'post').responses['201']);
    assert.ok(op('/api/documents/{id}/clauses', 'post').responses['201']);
    assert.ok(op('/api/documents/{id}', 'get').responses['200']);
    for (const methods of Object.values(doc.paths)) for (const o of Object.values(methods)) assert.ok(o.responses['401']!.headers!['WWW-Authenticate']);
    // Every field of a transition may be left out, so may the body; a deletion needs its version.
    assert.equal(op('/api/documents/{id}/transitions/{name}', 'post').requestBody!.required, false);
    assert.equal(op('/api/documents/{id}/clauses/{key}', 'delete').requestBody!.required, true);
  });

  it('publishes the kinds and the active product groups as enums', async () => {
    const body = op('/api/documents', 'post').requestBody!.content['application/json']!.schema.properties;
    assert.ok(body.kind!.enum!.includes('general-technical-requirements'));
    assert.ok(body.productGroup!.enum!.includes('integrated-circuits'));
    assert.ok(op('/api/documents/{id}', 'patch').requestBody!.content['application/json']!.schema.properties.productGroup!.enum!.includes('integrated-circuits'));
    // A group added by the secretariat is in the next document.
    const code = `test-group-${Date.now().toString(36)}`;
    await createProductGroup({ code, nameRu: 'Испытательная группа', nameEn: 'Test group' });
    const fresh = (await request(app).get('/api/openapi.json').expect(200)).body as typeof doc;
    assert.ok(fresh.paths['/api/documents']!.post!.requestBody!.content['application/json']!.schema.properties.productGroup!.enum!.includes(code));
  });

  it('declares which operations anyone may call, and patterns for ids and hashes', () => {
    const anonymous = { getDocument: true, listDocuments: true, verifyHash: true, getMe: false, createDocument: false, listUsers: false };
    for (const methods of Object.values(doc.paths)) {
      for (const o of Object.values(methods)) {
        const id = o.operationId as keyof typeof anonymous;
        if (id in anonymous) assert.equal(o.security.some((s) => Object.keys(s).length === 0), anonymous[id], id);
      }
    }
    const sha = op('/api/verify/{sha256}', 'get').parameters.find((p) => p.name === 'sha256')!;
    assert.equal(sha.schema.pattern, '^[0-9a-fA-F]{64}$');
    assert.equal(op('/api/documents/{id}', 'get').parameters.find((p) => p.name === 'id')!.schema.pattern, '^[0-9a-fA-F]{24}$');
    assert.ok(op('/api/documents/{id}/transitions/{name}', 'post').parameters.find((p) => p.name === 'name')!.schema.enum!.includes('circulate'));
  });

  it('describes the comment stage: created things with Location, enums for types and decisions, ids as patterns, no anonymous call', () => {
    for (const [path, method] of [['/api/documents/{id}/comments', 'post'], ['/api/documents/{id}/comments/{commentId}/replies', 'post'], ['/api/documents/{id}/position', 'post']] as const) {
      assert.ok(op(path, method).responses['201']!.headers!.Location, `${method} ${path}`);
    }
    const post = op('/api/documents/{id}/comments', 'post').requestBody!.content['application/json']!.schema.properties;
    assert.deepEqual(post.type!.enum, ['ge', 'te', 'ed']);
    const dispose = op('/api/documents/{id}/comments/{commentId}/disposition', 'post').requestBody!.content['application/json']!.schema.properties;
    assert.deepEqual(dispose.decision!.enum, ['accepted', 'partially', 'rejected', 'noted', 'referred']);
    assert.equal(op('/api/documents/{id}/comments/{commentId}', 'patch').parameters.find((p) => p.name === 'commentId')!.schema.pattern, '^[0-9a-fA-F]{24}$');
    assert.ok(op('/api/documents/{id}/comments', 'get').parameters.some((p) => p.in === 'query' && p.name === 'disposition' && p.schema.enum?.includes('none')));
    const ids = ['listComments', 'postComment', 'getComment', 'editComment', 'replyToComment', 'dropComment', 'mergeComment', 'getPosition', 'releasePosition', 'disposeComment', 'getCommentSummary'];
    const found = Object.values(doc.paths).flatMap((methods) => Object.values(methods)).filter((o) => ids.includes(o.operationId!));
    assert.equal(found.length, ids.length);
    for (const o of found) assert.ok(!o.security.some((s) => Object.keys(s).length === 0), `${o.operationId} lets anonymous callers through`);
  });
});

describe('methods and missing things in the JSON API', () => {
  let app: Express;
  let token: string;
  before(async () => {
    app = testApp();
    token = await tokenFor(await makeUser('secretariat'));
  });

  it('answers 405 with Allow to a method an address does not have, and OPTIONS with Allow', async () => {
    const { id } = await makeDocument();
    for (const [method, path, allow] of [
      ['put', `/api/documents/${id}`, 'DELETE'],
      ['delete', '/api/me', 'GET, HEAD, OPTIONS'],
      ['post', '/api/openapi.json', 'GET, HEAD, OPTIONS'],
      ['put', `/documents/${id}/comments`, 'GET, HEAD, OPTIONS, POST'],
    ] as const) {
      const res = await request(app)[method](path).set('Authorization', `Bearer ${token}`);
      assert.equal(res.status, 405, `${method} ${path}`);
      if (allow !== 'DELETE') assert.equal(res.headers.allow, allow, path);
    }
    const put = await request(app).put(`/api/documents/${id}`).set('Authorization', `Bearer ${token}`).expect(405);
    assert.equal(put.headers.allow, 'GET, HEAD, OPTIONS, PATCH');
    assert.match(put.body.error.message, /PUT/);
    const options = await request(app).options(`/api/documents/${id}/clauses/scope`).expect(204);
    assert.equal(options.headers.allow, 'DELETE, OPTIONS, PATCH');
    await request(app).put('/api/no-such-thing').set('Authorization', `Bearer ${token}`).expect(404);
  });

  it('answers 404 for a clause the address names that is not there, 409 when the clause to insert after is gone', async () => {
    const { id } = await makeDocument();
    const bearer = { Authorization: `Bearer ${token}` };
    const rev = (await request(app).get(`/api/documents/${id}/revisions/1`).set(bearer).expect(200)).body;
    await request(app).delete(`/api/documents/${id}/clauses/no-such-clause`).set(bearer).send({ version: rev.version }).expect(404);
    await request(app).patch(`/api/documents/${id}/clauses/no-such-clause`).set(bearer).send({ version: rev.version, patch: { heading: 'x' } }).expect(404);
    await request(app).post(`/api/documents/${id}/clauses/no-such-clause/move`).set(bearer).send({ version: rev.version, direction: 'up' }).expect(404);
    const gone = await request(app).post(`/api/documents/${id}/clauses`).set(bearer).send({ version: rev.version, afterKey: 'no-such-clause', clause: { kind: 'text', depth: 1, body: 'Текст.' } }).expect(409);
    assert.match(gone.body.error.message, /Такого пункта нет/);
  });
});
