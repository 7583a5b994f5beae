// The small things people noticed on the pages (docs/architecture.md names the features): the committee
// called by one name everywhere, headings that do not repeat a word, «Ответов нет» not a numbered item, the
// feminine «активна», and a ballot date in the past refused in the words of a ballot.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { DocumentModel } from '../../server/documents/model.js';
import { translate } from '../../server/i18n/index.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { anonymousAgent, signIn } from '../helpers/agent.js';
import { testApp, transition } from '../helpers/app.js';
import { makeBallotDocument } from '../helpers/ballots.js';
import { testEnv } from '../helpers/env.js';
import { actorOf, makeCirculatedDocument, makeComment, makeUser, uniqueEmail } from '../helpers/factories.js';
import { makePublishedDocument, storedFileOf } from '../helpers/publishing.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const localeDir = (locale: string) => path.join(here, '../../server/i18n/locales', locale);
/** Every string of a locale, whichever file holds it. */
const strings = (locale: string): string[] =>
  readdirSync(localeDir(locale)).filter((f) => f.endsWith('.json')).flatMap((f) => {
    const flat = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(flat) : []);
    return flat(JSON.parse(readFileSync(path.join(localeDir(locale), f), 'utf8')));
  });

describe('small things seen on the pages', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  describe('the committee’s name', () => {
    const ru = 'Комитет Союзного государства по стандартизации и качеству';
    const en = 'Union State Committee for Standardization and Quality';

    it('is one in the interface, the standards’ boilerplate and the signature', () => {
      const { text } = loadPdfAssets();
      assert.equal(translate('ru', 'app.committee'), ru);
      assert.equal(translate('en', 'app.committee'), en);
      assert.equal(text.committee, ru, 'the cover of every standard, and the signing certificate’s organisation');
      assert.equal(text.committeeEn, en);
      // Wherever a message names the committee, it names it whole: no «комитета по стандартизации», no «Standardisation».
      for (const s of strings('ru')) {
        for (const m of s.matchAll(/[Кк]омитет\S*\s+(Союзного государства\s+)?по стандартизации(\s+и качеству)?/g)) assert.ok(m[1] && m[2], `«${m[0]}» in «${s}»`);
      }
      for (const s of strings('en')) {
        for (const m of s.matchAll(/(\S+\s+){0,2}[Cc]ommittee\s+(for|on|of)\s+Standardi[sz]ation(\s+and Quality)?/g)) assert.ok(m[0].endsWith(en.slice(en.indexOf('Committee'))) && /Union State Committee/.test(m[0]), `«${m[0]}» in «${s}»`);
        assert.doesNotMatch(s, /standardisation committee|Standardisation and Quality/i, s);
      }
    });

    it('stands in the footer, the feed and the invitation in both languages, and on a published standard’s cover', async () => {
      const ruFooter = cheerio.load((await request(app).get('/catalogue').expect(200)).text)('footer').text();
      assert.match(ruFooter, /Комитета Союзного государства по стандартизации и качеству/);
      const ruFeed = (await request(app).get('/catalogue/feed.atom').expect(200)).text;
      assert.match(ruFeed, new RegExp(`<author><name>${ru}</name></author>`));
      assert.match(ruFeed, /<subtitle>[^<]*Комитета Союзного государства по стандартизации и качеству<\/subtitle>/);

      const visitor = await anonymousAgent(app);
      await visitor.agent.get('/locale/en').expect(303);
      assert.match(cheerio.load((await visitor.agent.get('/catalogue').expect(200)).text)('footer').text(), new RegExp(en));
      const enFeed = (await visitor.agent.get('/catalogue/feed.atom').expect(200)).text;
      assert.match(enFeed, new RegExp(`<author><name>${en}</name></author>`));
      assert.match(enFeed, new RegExp(`<subtitle>[^<]*${en}</subtitle>`));

      const admin = await signIn(app, await makeUser('administrator'));
      const email = uniqueEmail('named');
      await admin.agent.post('/admin/users').type('form').send({ _csrf: admin.csrf, name: 'Вера Названная', email, role: 'member', delegation: 'BY' }).expect(303);
      const mail = await testEnv().smtp.waitFor(email);
      assert.match(mail.text.replace(/\s+/g, ' '), /документооборота Комитета Союзного государства по стандартизации и качеству/);

      const { doc } = await makePublishedDocument();
      const pdf = execFileSync('pdftotext', ['-l', '1', '-', '-'], { input: (await storedFileOf(doc)).bytes, encoding: 'utf8' }).replace(/\s+/g, ' ');
      assert.ok(pdf.includes(ru.toUpperCase()) && pdf.includes(en), pdf);
    });
  });

  it('names the ballot page once, and a round of comments «Отзывы · этап 1»', async () => {
    const ballot = await makeBallotDocument();
    const head = await signIn(app, ballot.heads.BY);
    const h1 = cheerio.load((await head.agent.get(`/documents/${ballot.id}/ballot`).expect(200)).text)('h1').text().replace(/\s+/g, ' ').trim();
    assert.equal(h1, 'Голосование идёт');
    const { id } = await makeCirculatedDocument();
    const member = await signIn(app, await makeUser('member', { delegation: 'RU' }));
    const heading = cheerio.load((await member.agent.get(`/documents/${id}/comments`).expect(200)).text)('h1').text().replace(/\s+/g, ' ').trim();
    assert.equal(heading, 'Отзывы · этап 1');
  });

  it('says «Ответов нет» as a sentence under the replies heading, not as a numbered item', async () => {
    const { id } = await makeCirculatedDocument();
    const c = await makeComment(id, { delegation: 'BY' });
    const { agent } = await signIn(app, c.member);
    const $ = cheerio.load((await agent.get(`/documents/${id}/comments/${c.id}`).expect(200)).text);
    assert.equal($('[data-test=no-replies]').prop('tagName'), 'P');
    assert.match($('[data-test=no-replies]').text(), /Ответов нет/);
    assert.equal($('ol.replies li').length, 0);
  });

  it('says a delegation and a product group is «активна», a person «активен»', async () => {
    const { agent } = await signIn(app, await makeUser('administrator'));
    for (const page of ['/admin/delegations', '/admin/product-groups']) {
      const cells = cheerio.load((await agent.get(page).expect(200)).text)('table tbody tr td:last-child').toArray().map((td) => cheerio.load(td).text().trim());
      assert.ok(cells.length > 0 && cells.every((t) => t === 'активна' || t === 'отключена'), `${page}: ${cells.join(', ')}`);
    }
    const people = cheerio.load((await agent.get('/admin/users').expect(200)).text)('table[data-test=users] tbody tr td:nth-child(4)').toArray().map((td) => cheerio.load(td).text().trim());
    assert.ok(people.includes('активен') && !people.includes('активна'));
  });

  it('refuses a ballot date in the past beside the date field, in the words of a ballot, keeping what was typed', async () => {
    const { id, by } = await makeCirculatedDocument();
    await transition(actorOf(by), id, 'closeComments', { now: new Date() });
    const secretariat = await signIn(app, by);
    const before = await DocumentModel.findById(id).lean();
    const fromPage = { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Dest': 'document', Referer: `http://127.0.0.1/documents/${id}` };
    const res = await secretariat.agent.post(`/documents/${id}/transitions/openBallot`).set(fromPage).type('form').send({ _csrf: secretariat.csrf, rev: String(before!.rev), closesDate: '2020-01-10', closesTime: '18:30' }).expect(303);
    assert.equal(res.headers.location, `/documents/${id}`);
    const $ = cheerio.load((await secretariat.agent.get(`/documents/${id}`).expect(200)).text);
    const form = $('form[action$="/transitions/openBallot"]');
    assert.equal(form.find('input[name=closesDate]').val(), '2020-01-10');
    const field = form.find('input[name=closesDate]').closest('.field');
    assert.match(field.text(), /Срок голосования должен быть в будущем/);
    assert.doesNotMatch($('main').text(), /Срок отзывов должен быть в будущем/);
    assert.equal((await DocumentModel.findById(id).lean())!.state, 'resolution');
  });
});
