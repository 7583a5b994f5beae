import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { Revision } from '../../server/documents/model.js';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument } from '../helpers/factories.js';

describe('the clause form’s own steps', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('chooses a cross-reference by number and heading, switches the kind of a new clause keeping what was typed, and saves on Enter', async () => {
    const { id, by } = await makeDocument();
    const sec = await signIn(app, by);
    const form = cheerio.load((await sec.agent.get(`/documents/${id}/clauses/new?after=scope&kind=text`).expect(200)).text);
    const option = form('[data-test=ref-chooser] select[name=refTo] option').filter((_, o) => form(o).attr('value') === 'safety');
    assert.equal(option.text(), '5 Требования безопасности');
    // The first button of the form is the save, so Enter in a field saves.
    assert.equal(form('[data-test=clause-form] button[type=submit]').first().attr('class'), 'default-submit');
    const version = String(form('input[name=version]').val());
    const base = { _csrf: sec.csrf, version, kind: 'text', after: 'scope', position: 'after', heading: 'Общие положения', body: 'Требования безопасности — по разделу' };

    const withRef = cheerio.load((await sec.agent.post(`/documents/${id}/clauses`).type('form').send({ ...base, refTo: 'safety', insertRef: '1' }).expect(200)).text);
    assert.equal(withRef('textarea[name=body]').text(), 'Требования безопасности — по разделу [[ref:safety]]');
    assert.equal(withRef('input[name=heading]').val(), 'Общие положения');

    const asNote = cheerio.load((await sec.agent.post(`/documents/${id}/clauses`).type('form').send({ ...base, newKind: 'note' }).expect(200)).text);
    assert.equal(asNote('input[name=kind]').val(), 'note');
    assert.equal(asNote('textarea[name=body]').text(), 'Требования безопасности — по разделу');
    assert.match(asNote('[data-test=kind-switch] strong').text(), /Примечание/);

    // Nothing was saved by either step; the save itself ignores the chooser's field.
    const before = (await Revision.findOne({ document: id, number: 1 }).lean())!.clauses.length;
    await sec.agent.post(`/documents/${id}/clauses`).type('form').send({ ...base, body: 'См. [[ref:safety]].', refTo: '' }).expect(303);
    const after = (await Revision.findOne({ document: id, number: 1 }).lean())!.clauses;
    assert.equal(after.length, before + 1);
    assert.ok(after.some((c) => c.body === 'См. [[ref:safety]].'));
  });
});
