import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { day } from '../../server/time/days.js';
import { testApp } from '../helpers/app.js';
import { makePublishedDocument, withdrawDirectly } from '../helpers/catalogue.js';

// The days are far from any day the suite runs on (2020 and 2099), so what they say does not depend on it.
describe('a published standard’s status, country by country', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('says «Действует» where its day has passed and «Принят, вводится в действие с …» where it is to come, on the page, in the feed and in the JSON', async () => {
    const made = await makePublishedDocument({ titleRu: 'Станки зубофрезерные. Статус по странам', entryIntoForce: { BY: day('2020-03-01'), RU: day('2099-03-01') } });
    const $ = cheerio.load((await request(app).get(`/catalogue/${made.id}`).expect(200)).text);
    assert.equal($('[data-test=country-status-BY]').text(), 'Действует');
    assert.equal($('[data-test=country-status-RU]').text(), 'Принят, вводится в действие с 01.03.2099');
    assert.equal($('.doc-head [data-test=status]').text(), 'Действует');
    const en = cheerio.load((await request(app).get(`/catalogue/${made.id}`).set('Cookie', 'lang=en').expect(200)).text);
    assert.equal(en('[data-test=country-status-RU]').text(), 'Adopted, in force from 1 March 2099');

    const json = (await request(app).get(`/catalogue/${made.id}/requirements.json`).expect(200)).body;
    assert.deepEqual(json.document.statusByCountry, {
      BY: { status: 'in-force', date: '2020-03-01', until: null, replacedBy: null },
      RU: { status: 'adopted', date: '2099-03-01', until: null, replacedBy: null },
    });

    // The page a published PDF's QR code leads to says the same, and names the day to come in no past tense.
    const verify = cheerio.load((await request(app).get(`/verify/${made.id}`).expect(200)).text);
    assert.equal(verify('[data-test=country-status] li[data-code=RU]').text().replace(/\s+/g, ' ').trim(), 'Российская Федерация: Принят, вводится в действие с 01.03.2099');
    assert.equal(verify('[data-test=country-status] li[data-code=BY]').text().replace(/\s+/g, ' ').trim(), 'Республика Беларусь: Действует');
    const facts = verify('[data-test=publication] dl dt').toArray().map((dt) => `${verify(dt).text()} — ${verify(dt).next('dd').text()}`);
    assert.ok(facts.includes('Дата введения в действие (Российская Федерация) — 01.03.2099'), facts.join('; '));
    assert.doesNotMatch(verify('main').text(), /Введён в действие|вступил/);

    const feed = cheerio.load((await request(app).get('/catalogue/feed.atom').expect(200)).text, { xml: true });
    const summary = feed('entry').filter((_, e) => feed(e).find('link').attr('href')!.endsWith(`/catalogue/${made.id}`)).find('summary').text();
    assert.match(summary, /BY: Действует; RU: Принят, вводится в действие с 01\.03\.2099\.$/);
  });

  it('speaks of a withdrawal still to come as to come', async () => {
    const made = await makePublishedDocument({ titleRu: 'Прессы. Отмена впереди', entryIntoForce: { BY: day('2020-03-01'), RU: day('2020-03-01') } });
    await withdrawDirectly(made.id, 'Заменяется техническим регламентом', new Date('2099-06-01T09:00:00Z'));
    const $ = cheerio.load((await request(app).get(`/catalogue/${made.id}`).expect(200)).text);
    assert.match($('[data-test=withdrawal]').text(), /^Стандарт отменяется с 01\.06\.2099/);
    assert.equal($('[data-test=country-status-BY]').text(), 'Действует; отменяется с 01.06.2099');
    const verify = cheerio.load((await request(app).get(`/verify/${made.id}`).expect(200)).text);
    assert.match(verify('[data-test=status]').text().replace(/\s+/g, ' '), /^Будет отменён с 01\.06\.2099: Заменяется техническим регламентом/);
    assert.doesNotMatch(verify('[data-test=status]').text(), /^Отменён/);
  });

  it('is replaced in a country only from its successor’s day there', async () => {
    const old = await makePublishedDocument({ titleRu: 'Станки лазерные. Первое издание', entryIntoForce: { BY: day('2020-01-01'), RU: day('2020-01-01') } });
    const next = await makePublishedDocument({ titleRu: 'Станки лазерные. Второе издание', supersedes: old.id, entryIntoForce: { BY: day('2021-01-01'), RU: day('2099-01-01') } });
    const $ = cheerio.load((await request(app).get(`/catalogue/${old.id}`).expect(200)).text);
    assert.equal($('[data-test=country-status-BY]').text(), `Заменён ${next.designation} с 01.01.2021`);
    assert.equal($('[data-test=country-status-RU]').text(), `Действует; с 01.01.2099 заменяется ${next.designation}`);
  });
});
