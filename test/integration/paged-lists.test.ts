// Lists shown a page at a time: the administrator's people (search and filters kept across pages), the
// committee's documents, a document's history (the latest on its page, the whole on a page of its own), and
// their JSON equivalents. A page past the last shows the last; a value a list does not take is a 422 that says why.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel } from '../../server/documents/model.js';
import { User } from '../../server/users/model.js';
import { searchWordsOf } from '../../server/users/index.js';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { delegationId, makeDocument, makeUser, uniqueEmail, type MadeUser } from '../helpers/factories.js';
import { makePublishedDocument } from '../helpers/publishing.js';

const text = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('lists a page at a time', function () {
  this.timeout(120_000);
  let app: Express;
  let admin: MadeUser;
  let adm: { agent: Agent; csrf: string };
  /** A word only the people made here have in their names, so that a search finds them alone. */
  const tag = `листов${randomBytes(3).toString('hex')}`;
  /** Another such word, for the people made by the search tests (whom the paging tests must not count). */
  const other = `поисков${randomBytes(3).toString('hex')}`;
  const Tag = tag[0]!.toUpperCase() + tag.slice(1);
  const people: { _id: mongoose.Types.ObjectId; name: string; email: string }[] = [];

  before(async () => {
    app = testApp();
    admin = await makeUser('administrator');
    adm = await signIn(app, admin);
    const by = await delegationId('BY');
    const ru = await delegationId('RU');
    // 120 people: every third of BY, the rest of RU; every fifth a head; every eighth invited (no password), every tenth deactivated.
    for (let i = 1; i <= 120; i++) {
      const name = `${Tag} ${String(i).padStart(3, '0')}`;
      const email = `${tag}.${i}@example.org`;
      const ofBY = i % 3 === 0;
      people.push({ _id: new mongoose.Types.ObjectId(), name, email });
      Object.assign(people.at(-1)!, {
        role: i % 5 === 0 ? 'head' : 'member', delegation: ofBY ? by : ru, delegationCode: ofBY ? 'BY' : 'RU',
        active: i % 10 !== 0, passwordHash: i % 8 === 0 ? null : 'not-a-real-hash', sessionVersion: 0, unsubscribed: [], searchWords: searchWordsOf(name, email),
        createdAt: new Date(), updatedAt: new Date(),
      });
    }
    await User.collection.insertMany(people);
  });

  after(async () => {
    await User.collection.deleteMany({ _id: { $in: people.map((p) => p._id) } });
  });

  const list = async (query: string, status = 200) => cheerio.load((await adm.agent.get(`/admin/users${query}`).expect(status)).text);
  const names = ($: cheerio.CheerioAPI) => $('[data-test=users] tbody tr [data-test=person-name]').map((_, td) => text($(td).text())).get();

  describe('the administrator’s people', () => {
    it('shows the first 50 by name with «1–50 из 120» and links to the other pages that keep the search', async () => {
      const $ = await list(`?q=${encodeURIComponent(tag)}`);
      assert.equal(text($('[data-test=people-count]').text()), '1–50 из 120');
      const shown = names($);
      assert.equal(shown.length, 50);
      assert.equal(shown[0], `${Tag} 001`);
      assert.equal(shown[49], `${Tag} 050`);
      const pager = $('[data-test=pager]');
      assert.equal(pager.find('[aria-current=page]').text(), '1');
      assert.equal(pager.find('a[rel=next]').attr('href'), `/admin/users?q=${encodeURIComponent(tag)}&page=2`);
      assert.equal(pager.find('a[rel=prev]').length, 0);
      assert.deepEqual(pager.find('a:not([rel])').map((_, a) => $(a).text()).get(), ['2', '3']);
      // The search is in the form again, to be changed.
      assert.equal($('form[data-test=people-filter] input[name=q]').val(), tag);
    });

    it('shows a middle page with the rows after the first page and links either side', async () => {
      const $ = await list(`?q=${encodeURIComponent(tag)}&page=2`);
      assert.equal(text($('[data-test=people-count]').text()), '51–100 из 120');
      assert.deepEqual([names($)[0], names($).at(-1)], [`${Tag} 051`, `${Tag} 100`]);
      assert.equal($('[data-test=pager] a[rel=prev]').attr('href'), `/admin/users?q=${encodeURIComponent(tag)}`);
      assert.equal($('[data-test=pager] a[rel=next]').attr('href'), `/admin/users?q=${encodeURIComponent(tag)}&page=3`);
    });

    it('keeps every filter across pages and shows only the people it selects', async () => {
      // RU members who are active (a password set): of 1…120 those not divisible by 3, 5, 8 or 10.
      const expected = people.filter((_, k) => { const i = k + 1; return i % 3 !== 0 && i % 5 !== 0 && i % 8 !== 0 && i % 10 !== 0; }).map((p) => p.name);
      assert.ok(expected.length > 50, 'enough for two pages');
      const q = `q=${encodeURIComponent(tag)}&delegation=RU&role=member&status=active`;
      const first = await list(`?${q}`);
      assert.equal(text(first('[data-test=people-count]').text()), `1–50 из ${expected.length}`);
      const next = first('[data-test=pager] a[rel=next]').attr('href')!;
      for (const kept of ['delegation=RU', 'role=member', 'status=active', `q=${encodeURIComponent(tag)}`]) assert.ok(next.includes(kept), `${kept} in ${next}`);
      const second = await list(next.slice('/admin/users'.length));
      assert.deepEqual([...names(first), ...names(second)], expected);
      // The form shows the choices made.
      assert.equal(second('select[name=delegation] option[selected]').val(), 'RU');
      assert.equal(second('select[name=role] option[selected]').val(), 'member');
      assert.equal(second('select[name=status] option[selected]').val(), 'active');
    });

    it('filters by status: invited (no password yet) and deactivated', async () => {
      const invited = await list(`?q=${encodeURIComponent(tag)}&status=invited`);
      const count = people.filter((_, k) => (k + 1) % 8 === 0 && (k + 1) % 10 !== 0).length; // every eighth, less the deactivated
      assert.equal(text(invited('[data-test=people-count]').text()), `1–${count} из ${count}`);
      assert.ok(invited('[data-test=users] tbody tr').toArray().every((tr) => /приглашён/.test(invited(tr).text())));
      const off = await list(`?q=${encodeURIComponent(tag)}&status=deactivated`);
      assert.equal(names(off).length, 12);
      assert.ok(off('[data-test=users] tbody tr').toArray().every((tr) => /отключён/.test(off(tr).text())));
    });

    it('shows the last page for a page number past it, and says which it is', async () => {
      const $ = await list(`?q=${encodeURIComponent(tag)}&page=99`);
      assert.equal(text($('[data-test=people-count]').text()), '101–120 из 120');
      assert.equal($('[data-test=pager] [aria-current=page]').text(), '3');
      assert.equal($('[data-test=pager] a[rel=next]').length, 0);
    });

    for (const [what, query, field, message] of [
      ['a page that is not a number', 'page=abc', 'page', /Номер страницы — целое число от 1/],
      ['page 0', 'page=0', 'page', /Номер страницы — целое число от 1/],
      ['a role that does not exist', 'role=king', 'role', /Такой роли нет/],
      ['a status that does not exist', 'status=asleep', 'status', /активен, приглашён или отключён/],
      ['a delegation that is not a code', 'delegation=by%2F1', 'delegation', /кодом из двух-трёх латинских букв/],
      ['a search longer than 100 characters', `q=${'я'.repeat(101)}`, 'q', /не длиннее 100 знаков/],
      ['a filter given twice', 'role=member&role=head', 'role', /Такой роли нет/],
    ] as const) {
      it(`refuses ${what} with 422 and a message at the field, the form as typed, no rows`, async () => {
        const $ = await list(`?${query}${field === 'q' ? '' : `&q=${encodeURIComponent(tag)}`}`, 422);
        assert.match($('[data-test=people-filter-refused]').text(), /Список не показан/);
        assert.match($(`form[data-test=people-filter] .has-error`).text() + $('form[data-test=people-filter] p.error').text(), message);
        if (field !== 'q') assert.equal($('form[data-test=people-filter] input[name=q]').val(), tag);
        assert.equal($('[data-test=users]').length, 0);
        assert.ok($('[data-test=people-filter-reset]').length, 'a way back to the whole list');
      });
    }

    it('finds nobody in a delegation that does not exist, and says so', async () => {
      const $ = await list(`?q=${encodeURIComponent(tag)}&delegation=ZZ`);
      assert.match($('[data-test=people-count]').text(), /Никого не найдено/);
      assert.equal($('[data-test=users]').length, 0);
    });

    it('finds people by the start of any word of the name or the e-mail, in any case, «ё» as «е»', async () => {
      const alena = await makeUser('member', { delegation: 'BY', name: `Алёна Ковалёва-Петрова ${other}` });
      for (const q of ['коваЛЕВ', 'ПЕТРОВА', 'алена ковал', `${other} алён`, alena.email.split('@')[0]!, alena.email.toUpperCase()]) {
        const shown = names(await list(`?q=${encodeURIComponent(q)}`));
        assert.ok(shown.includes(alena.name), `«${q}» finds ${alena.name}: ${shown.slice(0, 5).join(', ')}`);
      }
      for (const q of ['овалева', 'алена иванова']) {
        assert.ok(!names(await list(`?q=${encodeURIComponent(q)}`)).includes(alena.name), `«${q}» does not find her`);
      }
    });

    it('finds an invited person at once, and a renamed one by the new name only', async () => {
      const email = uniqueEmail('paged');
      await adm.agent.post('/admin/users').type('form').send({ _csrf: adm.csrf, name: `Тимофей Засецкий ${other}`, email, role: 'member', delegation: 'RU' }).expect(303);
      let $ = await list(`?q=${encodeURIComponent(`засецкий ${other}`)}`);
      assert.deepEqual(names($), [`Тимофей Засецкий ${other}`]);
      const id = $('[data-test=users] tbody tr a').attr('href')!.split('/').pop()!;
      await adm.agent.post(`/admin/users/${id}`).type('form').send({ _csrf: adm.csrf, name: `Тимофей Оболенский ${other}`, role: 'member', delegation: 'RU' }).expect(303);
      assert.deepEqual(names(await list(`?q=${encodeURIComponent(`засецкий ${other}`)}`)), []);
      $ = await list(`?q=${encodeURIComponent(`оболенский ${other}`)}`);
      assert.deepEqual(names($), [`Тимофей Оболенский ${other}`]);
    });

    it('returns from a row’s action to the list as it was shown, and never anywhere else', async () => {
      const person = people[9]!; // deactivated
      const $ = await list(`?q=${encodeURIComponent(tag)}&status=deactivated`);
      const form = $(`form[action="/admin/users/${person._id}/activate"]`);
      const back = String(form.find('input[name=back]').val());
      assert.equal(back, `/admin/users?q=${encodeURIComponent(tag)}&status=deactivated`);
      const done = await adm.agent.post(`/admin/users/${person._id}/activate`).type('form').send({ _csrf: adm.csrf, back }).expect(303);
      assert.equal(done.headers.location, back);
      // The confirmation page of a deactivation carries the list along, and so does its form.
      const link = (await list(`?q=${encodeURIComponent(tag)}&page=2`))(`a[href^="/admin/users/${people[60]!._id}/deactivate"]`).attr('href')!;
      const confirm = cheerio.load((await adm.agent.get(link).expect(200)).text);
      assert.equal(confirm('form input[name=back]').val(), `/admin/users?q=${encodeURIComponent(tag)}&page=2`);
      for (const hostile of ['https://evil.example/admin/users', '//evil.example', '/admin/users/../../sign-out', 'javascript:alert(1)']) {
        const r = await adm.agent.post(`/admin/users/${person._id}/deactivate`).type('form').send({ _csrf: adm.csrf, back: hostile }).expect(303);
        assert.equal(r.headers.location, '/admin/users', hostile);
      }
    });

    it('pages the JSON list the same way, with page, pageSize, total and pages', async () => {
      const token = await tokenFor(admin);
      const api = (q: string, status = 200) => request(app).get(`/api/users?${q}`).set('Authorization', `Bearer ${token}`).expect(status);
      const first = (await api(`q=${encodeURIComponent(tag)}&pageSize=40`)).body;
      assert.deepEqual([first.page, first.pageSize, first.total, first.pages, first.users.length], [1, 40, 120, 3, 40]);
      assert.equal(first.users[0].name, `${Tag} 001`);
      const last = (await api(`q=${encodeURIComponent(tag)}&pageSize=40&page=7`)).body;
      assert.deepEqual([last.page, last.users[0].name], [3, `${Tag} 081`]);
      const ofBY = (await api(`q=${encodeURIComponent(tag)}&delegation=BY&status=invited`)).body;
      assert.equal(ofBY.total, people.filter((_, k) => (k + 1) % 3 === 0 && (k + 1) % 8 === 0 && (k + 1) % 10 !== 0).length);
      assert.equal((await api(`q=${encodeURIComponent(tag)}`)).body.pageSize, 100);
      const refused = (await api('pageSize=501', 422)).body;
      assert.match(refused.error.fields.pageSize, /от 1 до 500/);
      assert.match((await api('status=asleep', 422)).body.error.fields.status, /активен, приглашён или отключён/);
    });
  });

  describe('the committee’s documents', () => {
    const made: mongoose.Types.ObjectId[] = [];
    before(async () => {
      // 55 documents changed after anything else in the database: the newest, in the order of their change.
      const docs = Array.from({ length: 55 }, (_, i) => ({
        _id: new mongoose.Types.ObjectId(), titles: { ru: `${Tag} документ ${String(55 - i).padStart(2, '0')}`, en: `Document ${55 - i}` }, kind: 'general-technical-requirements', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»',
        state: 'draft', stage: '00.00', round: 0, currentRevision: 1, rev: 0, history: [], createdAt: new Date(), updatedAt: new Date(Date.UTC(2999, 0, 1) - i * 60_000),
      }));
      await DocumentModel.collection.insertMany(docs);
      made.push(...docs.map((d) => d._id));
    });
    after(async () => {
      await DocumentModel.collection.deleteMany({ _id: { $in: made } });
    });

    it('shows 50 a page, the newest change first, with the total and the next page; a page past the last is the last', async () => {
      const sec = await signIn(app, await makeUser('secretariat'));
      const total = await DocumentModel.countDocuments({});
      const page = async (q: string) => cheerio.load((await sec.agent.get(`/documents${q}`).expect(200)).text);
      const titles = ($: cheerio.CheerioAPI) => $('[data-test=documents] tbody tr td:nth-child(2)').map((_, td) => text($(td).text())).get();
      const first = await page('');
      assert.equal(text(first('[data-test=documents-count]').text()), `1–50 из ${total}`);
      assert.equal(titles(first).length, 50);
      assert.deepEqual([titles(first)[0], titles(first)[49]], [`${Tag} документ 55`, `${Tag} документ 06`]);
      assert.equal(first('[data-test=pager] a[rel=next]').attr('href'), '/documents?page=2');
      const second = await page('?page=2');
      assert.deepEqual(titles(second).slice(0, 5), [5, 4, 3, 2, 1].map((n) => `${Tag} документ 0${n}`));
      const pages = Math.ceil(total / 50);
      const past = await page('?page=100000');
      assert.equal(past('[data-test=pager] [aria-current=page]').text(), String(pages));
      const bad = await sec.agent.get('/documents?page=-1').expect(422);
      assert.match(bad.text, /Номер страницы — целое число от 1/);
    });

    it('shows the public only published and withdrawn documents, a page at a time, in the JSON list too', async () => {
      const anon = await request(app).get('/api/documents?pageSize=2').expect(200);
      assert.equal(anon.body.pageSize, 2);
      assert.ok(anon.body.documents.length <= 2);
      assert.ok(anon.body.documents.every((d: { state: string }) => ['published', 'withdrawn'].includes(d.state)));
      assert.ok(!JSON.stringify(anon.body).includes(`${Tag} документ`));
      const token = await tokenFor(await makeUser('member', { delegation: 'BY' }));
      const committee = (await request(app).get('/api/documents?pageSize=3&page=2').set('Authorization', `Bearer ${token}`).expect(200)).body;
      assert.deepEqual(committee.documents.map((d: { titles: { ru: string } }) => d.titles.ru), [52, 51, 50].map((n) => `${Tag} документ ${n}`));
      assert.deepEqual([committee.page, committee.pageSize, committee.total >= 55], [2, 3, true]);
      await request(app).get('/api/documents?page=x').expect(422);
    });
  });

  describe('a document’s history', () => {
    /** Adds `count` changes of details to the document's history, one minute apart after its creation. */
    async function addEvents(id: string, count: number, by: MadeUser) {
      const base = Date.UTC(2026, 5, 1, 9);
      const events = Array.from({ length: count }, (_, k) => ({ at: new Date(base + (k + 1) * 60_000), by: new mongoose.Types.ObjectId(by.id), byName: `Секретарь ${k + 1}`, action: 'editDetails', from: null, to: null, revision: 1 }));
      await DocumentModel.updateOne({ _id: id }, { $push: { history: { $each: events } } });
    }

    it('shows the latest 10 events on the document page, newest first, with a link to the whole history', async () => {
      const secretary = await makeUser('secretariat');
      const { id } = await makeDocument({ by: secretary });
      await addEvents(id, 59, secretary);
      const sec = await signIn(app, secretary);
      const $ = cheerio.load((await sec.agent.get(`/documents/${id}`).expect(200)).text);
      const shown = $('[data-test=history] li').map((_, li) => text($(li).text())).get();
      assert.equal(shown.length, 10);
      assert.match(shown[0]!, /Секретарь 59/);
      assert.match(shown[9]!, /Секретарь 50/);
      assert.equal($('[data-test=history]').attr('start'), '60');
      assert.match(text($('[data-test=history-more]').text()), /Последние 10 из 60/);
      assert.equal($('[data-test=history-all]').attr('href'), `/documents/${id}/history`);

      const page = async (q: string, status = 200) => cheerio.load((await sec.agent.get(`/documents/${id}/history${q}`).expect(status)).text);
      const first = await page('');
      assert.equal(text(first('[data-test=history-count]').text()), '1–50 из 60');
      const events = first('[data-test=whole-history] li').map((_, li) => text(first(li).text())).get();
      assert.equal(events.length, 50);
      assert.match(events[0]!, /Секретарь 59/);
      assert.match(events[49]!, /Секретарь 10/);
      assert.equal(first('[data-test=pager] a[rel=next]').attr('href'), `/documents/${id}/history?page=2`);
      const second = await page('?page=2');
      const rest = second('[data-test=whole-history] li').map((_, li) => text(second(li).text())).get();
      assert.equal(rest.length, 10);
      assert.match(rest.at(-1)!, /создан проект/);
      assert.equal(second('[data-test=whole-history] ol').attr('start'), '10', 'each event keeps its number in time order');
      assert.equal(text((await page('?page=5'))('[data-test=history-count]').text()), '51–60 из 60');
      assert.match((await page('?page=two', 422))('main').text(), /Номер страницы — целое число от 1/);
    });

    it('shows a short history whole, with no link', async () => {
      const secretary = await makeUser('secretariat');
      const { id } = await makeDocument({ by: secretary });
      const sec = await signIn(app, secretary);
      const $ = cheerio.load((await sec.agent.get(`/documents/${id}`).expect(200)).text);
      assert.equal($('[data-test=history] li').length, 1);
      assert.equal($('[data-test=history-more]').length, 0);
    });

    it('pages the JSON history in time order, and shows the public only the public events', async () => {
      const { id, by } = await makePublishedDocument();
      await addEvents(id, 30, by);
      const token = await tokenFor(await makeUser('member', { delegation: 'RU' }));
      const all = (await request(app).get(`/api/documents/${id}/history?pageSize=10&page=4`).set('Authorization', `Bearer ${token}`).expect(200)).body;
      const total = all.total as number;
      assert.ok(total > 30);
      assert.equal(all.pages, Math.ceil(total / 10));
      assert.equal(all.page, 4);
      const times = all.history.map((e: { at: string }) => e.at);
      assert.deepEqual(times, [...times].sort(), 'in time order');
      const anon = (await request(app).get(`/api/documents/${id}/history`).expect(200)).body;
      assert.ok(anon.history.length >= 1 && anon.history.every((e: { action: string }) => ['publish', 'amend', 'supersede', 'withdraw'].includes(e.action)));
      assert.equal(anon.total, anon.history.length);
      const page = cheerio.load((await request(app).get(`/documents/${id}/history`).expect(200)).text);
      assert.doesNotMatch(page('main').text(), /Секретарь 1/);
      assert.equal(text(page('[data-test=history-count]').text()), `1–${anon.total} из ${anon.total}`);
      assert.match((await request(app).get(`/api/documents/${id}/history?pageSize=0`).expect(422)).body.error.fields.pageSize, /от 1 до 500/);
    });
  });
});
