import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { DocumentModel } from '../../server/documents/model.js';
import { signIn, tokenFor } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';

// What the Nu HTML checker refused in pages ("Forbidden code point U+0002"), and what turns a title around.
const dirty = 'Станки\u0002 лазерные\u202e. Общие\u200b требования и\u0306';
const clean = 'Станки лазерные. Общие требования й';

describe('text fields are cleaned where they come in', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('stores and shows a title sent as JSON without control, bidi and zero-width characters, in NFC', async () => {
    const token = await tokenFor(await makeUser('secretariat'));
    const res = await request(app).post('/api/documents').set('Authorization', `Bearer ${token}`)
      .send({ kind: 'general-technical-requirements', titleRu: dirty, titleEn: 'Laser\u0007 machines', productGroup: 'laser-machines', ics: '25.040.20', developer: 'ТК\u2066 1' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const stored = await DocumentModel.findById(res.body.id).select({ titles: 1, developer: 1 }).lean();
    assert.deepEqual({ ...stored!.titles }, { ru: clean, en: 'Laser machines' });
    assert.equal(stored!.developer, 'ТК 1');
    const page = (await request(app).get(`/documents/${res.body.id}`).set('Authorization', `Bearer ${token}`).expect(200)).text;
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e\u200b]/.test(page), 'the page carries none of them');
  });

  it('cleans form fields the same way', async () => {
    const user = await makeUser('secretariat');
    const { agent, csrf } = await signIn(app, user);
    const res = await agent.post('/documents').type('form')
      .send({ _csrf: csrf, kind: 'general-technical-requirements', titleRu: dirty, titleEn: 'Form\u0002 title', productGroup: 'laser-machines', ics: '25.040.20', developer: 'ТК' });
    assert.equal(res.status, 303, res.text.slice(0, 500));
    const id = /\/documents\/([0-9a-f]{24})/.exec(res.headers.location!)![1];
    const stored = await DocumentModel.findById(id).select({ titles: 1 }).lean();
    assert.deepEqual({ ...stored!.titles }, { ru: clean, en: 'Form title' });
  });

  it('cleans what a search query carries before it is echoed', async () => {
    const res = await request(app).get('/catalogue').query({ q: 'станки\u0002\u202e' }).expect(200);
    assert.ok(!res.text.includes('\u0002') && !res.text.includes('\u202e'));
  });
});
