import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { DocumentModel } from '../../server/documents/model.js';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeCirculatedDocument, makeComment, makeUser } from '../helpers/factories.js';
import { makePublishedDocument } from '../helpers/publishing.js';

describe('the committee’s daily work', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  describe('what a page says about the comment period', () => {
    it('says comments are taken until a date only while they are', async () => {
      const { id } = await makeCirculatedDocument();
      const member = await makeUser('member', { delegation: 'BY' });
      const { agent } = await signIn(app, member);
      const open = cheerio.load((await agent.get(`/documents/${id}`).expect(200)).text);
      assert.match(open('header').text(), /Отзывы на редакцию 1 принимаются до/);
      // The deadline has passed; the job has not closed the period yet.
      await DocumentModel.updateOne({ _id: id }, { $set: { 'commentPeriod.closesAt': new Date(Date.now() - 60_000) } });
      const passed = cheerio.load((await agent.get(`/documents/${id}`).expect(200)).text);
      assert.doesNotMatch(passed('header').text(), /принимаются до/);
    });

    it('shows the public text of a published standard without any draft-stage notice', async () => {
      const { id } = await makePublishedDocument();
      const page = cheerio.load((await request(app).get(`/documents/${id}`).expect(200)).text);
      assert.doesNotMatch(page('main').text(), /принимаются до|Отзывы на редакцию/);
    });
  });

  describe('after the national position is released', () => {
    it('says the position is closed and where its comments are, never “no comments yet” under a count', async () => {
      const { id } = await makeCirculatedDocument();
      const { member } = await makeComment(id, { delegation: 'RU', release: true });
      const { agent } = await signIn(app, member);
      const page = cheerio.load((await agent.get(`/documents/${id}/comments`).expect(200)).text);
      const internal = page('[data-test=internal]').text();
      assert.doesNotMatch(internal, /Замечаний пока нет/);
      assert.match(page('[data-test=position-closed]').text(), /позиция направлена, и она закрыта: замечания делегации — в сводке ниже, новые в этом этапе не принимаются/);
      assert.equal(page('form[data-test=new-comment]').length, 0, 'no form for a new comment');
      assert.match(page('[data-test=summary-table]').text(), /RU-001/);
    });
  });
});
