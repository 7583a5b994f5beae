import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { Delegation } from '../../server/delegations/model.js';
import { voteColumns } from '../../server/pdf/standard-view.js';
import { signIn, tokenFor } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument, makeUser } from '../helpers/factories.js';
import { approve } from '../helpers/publishing.js';

describe('the national standards bodies of the foreword', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('are kept per delegation by the administrator, in Russian and English', async () => {
    const admin = await signIn(app, await makeUser('administrator'));
    const by = (await Delegation.findOne({ code: 'BY' }).lean())!;
    const before = by.standardsBody;
    try {
      const page = cheerio.load((await admin.agent.get(`/admin/delegations/${by._id}`).expect(200)).text);
      assert.equal(page('input[name=bodyRu]').val(), 'Госстандарт Республики Беларусь');
      await admin.agent.post(`/admin/delegations/${by._id}`).type('form').send({ _csrf: admin.csrf, nameRu: by.name!.ru, nameEn: by.name!.en, bodyRu: 'Госстандарт', bodyEn: 'Gosstandart', active: 'on' }).expect(303);
      assert.deepEqual((await Delegation.findOne({ code: 'BY' }).lean())!.standardsBody, { ru: 'Госстандарт', en: 'Gosstandart' });
    } finally {
      await Delegation.updateOne({ code: 'BY' }, { $set: { standardsBody: before } });
    }
  });

  it('must all be named before a standard is published: the check says whose is missing', async () => {
    const { id, by } = await makeDocument();
    await approve(id, by);
    const bearer = await tokenFor(by);
    const check = async () => (await request(app).get(`/api/documents/${id}/check`).set('Authorization', `Bearer ${bearer}`).expect(200)).body as { step: string; errors: { text: string; href: string }[] };
    assert.deepEqual((await check()).errors, []);
    const ru = (await Delegation.findOne({ code: 'RU' }).lean())!;
    try {
      await Delegation.updateOne({ code: 'RU' }, { $set: { 'standardsBody.ru': '' } });
      const found = await check();
      assert.equal(found.step, 'publish');
      assert.equal(found.errors.length, 1);
      assert.match(found.errors[0]!.text, /национальный орган по стандартизации делегации RU/);
      assert.equal(found.errors[0]!.href, '/admin/delegations');
    } finally {
      await Delegation.updateOne({ code: 'RU' }, { $set: { standardsBody: ru.standardsBody } });
    }
  });

  it('leave no empty column in the voting table when none is named', () => {
    assert.deepEqual(voteColumns([{ country: 'Республика Беларусь', code: 'BY', vote: 'approve' }]), [true, true, false, true, true]);
    assert.deepEqual(voteColumns([{ country: 'Республика Беларусь', code: 'BY', body: 'Госстандарт', vote: 'approve' }]), [true, true, true, true, true]);
  });
});
