import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
// A strict XML parser: comes with exceljs (a dependency), used here only to prove the feed well-formed.
import { SaxesParser } from 'saxes';
import fc from 'fast-check';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel, type DocumentRecord } from '../../server/documents/model.js';
import { transition, testSystem } from '../helpers/app.js';
import { User } from '../../server/users/model.js';
import { Catalogue, type PublishedRecord } from '../../server/catalogue/catalogue.js';
import { catalogueListener } from '../../server/catalogue/index.js';
import { drainNotices } from '../helpers/app.js';
import { CatalogueVersion } from '../../server/catalogue/model.js';
import { currentCatalogue, searchFieldsOf } from '../../server/catalogue/store.js';
import { queryStems, searchTokensOf, sortKeyOf, stems } from '../../server/catalogue/tokens.js';
import { signIn, csrfOf, tokenFor } from '../helpers/agent.js';
import { publicUrl, testApp } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { actorOf, makeCirculatedDocument, makeUser, type MadeUser } from '../helpers/factories.js';
import {
  approveDirectly, makeDraftWithText, makePublishedDocument, publishThroughWorkflow, withdrawDirectly, withdrawThroughWorkflow,
} from '../helpers/catalogue.js';
import { approve, binary as binaryBody, entryInDays, makeApprovedDocument, publishOptions } from '../helpers/publishing.js';
import { amend, publish, withdraw } from '../../server/publishing/service.js';
import { day, dayOf } from '../../server/time/days.js';

/** A word no other test uses, so that a search finds only this test's documents. */
const runWord = () => `w${randomBytes(4).toString('hex')}`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF), enough to read an export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

describe('catalogue', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  const anon = () => request(app);
  /** Designations of the results on a catalogue page, in order. */
  const designations = (html: string) => cheerio.load(html)('[data-test=result] td:first-child').map((_, td) => cheerio.load(td).text().trim()).get();
  const titles = (html: string) => cheerio.load(html)('[data-test=result-title]').map((_, a) => cheerio.load(a).text().trim()).get();
  const search = async (query: Record<string, string>) => (await anon().get('/catalogue').query(query).expect(200)).text;

  describe('words', () => {
    it('stems Russian and English alike in documents and queries', () => {
      assert.deepEqual(stems('Станок'), stems('станки'));
      assert.deepEqual(stems('резец'), stems('резцы'));
      assert.deepEqual(stems('Ёмкости'), stems('емкость'));
      assert.deepEqual(stems('laser machines'), stems('Laser machine'));
      assert.deepEqual(queryStems('станки для резки и сварки'), stems('станок резка сварка'), 'stop words are left out');
      assert.ok(searchTokensOf({ titles: { ru: 'Станки лазерные', en: 'Laser machines' }, designation: 'СТ СГ 12-2027', scope: 'металл' }).includes('12'));
    });

    it('makes a sort key that ignores case and the dots over ё', () => {
      assert.equal(sortKeyOf('«Ёмкости» стальные'), 'емкости» стальные');
      assert.equal(sortKeyOf('  Арматура  трубопроводная'), 'арматура трубопроводная');
    });

    it('matches every stem and the product group, and pages in the order asked for', () => {
      const record = (i: number): PublishedRecord => ({
        _id: String(i).padStart(24, '0'), titles: { ru: `Станки ${i}`, en: `Machines ${i}` }, kind: 'k', productGroup: i % 2 ? 'a' : 'b', ics: '25.040', state: 'published',
        designation: `СТ СГ ${i}-2027`, publication: { revision: 1, publishedAt: new Date(2027, 0, 1 + (i % 300)) }, searchTokens: i === 7 ? ['редк', 'станк'] : ['станк'], sortKey: `станки ${i}`,
      });
      const c = new Catalogue(Array.from({ length: 5000 }, (_, i) => record(i)));
      const r = c.search({ stems: ['редк', 'станк'], group: 'a', sort: 'title', locale: 'ru', page: 1, perPage: 20 });
      assert.deepEqual(r.items.map((e) => e.designation), ['СТ СГ 7-2027']);
      assert.equal(c.search({ stems: ['станк'], group: 'b', sort: 'designation', locale: 'ru', page: 1, perPage: 3 }).items.map((e) => e.designation).join(' | '), 'СТ СГ 0-2027 | СТ СГ 2-2027 | СТ СГ 4-2027');
    });

    it('finds exactly what a plain filter over every document finds, page by page (bitsets against the obvious)', () => {
      const vocab = ['станк', 'лазерн', 'лазер', 'резк', 'микросх', 'микросхем', 'ст', '12', '120'];
      const record = fc.record({
        tokens: fc.subarray(vocab), group: fc.constantFrom('a', 'b', 'c'), ics: fc.constantFrom('31.200', '31.080.01', '25.040'),
        withdrawn: fc.boolean(), day: fc.integer({ min: 0, max: 200 }), title: fc.integer({ min: 0, max: 999 }),
      });
      const query = fc.record({
        stems: fc.subarray(vocab, { maxLength: 3 }), group: fc.option(fc.constantFrom('a', 'b', 'zz'), { nil: undefined }), ics: fc.option(fc.constantFrom('31', '31.2', '25.040'), { nil: undefined }),
        status: fc.option(fc.constantFrom('in-force' as const, 'withdrawn' as const), { nil: undefined }), from: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        sort: fc.constantFrom('title' as const, 'designation' as const, 'date' as const), page: fc.integer({ min: 1, max: 4 }), perPage: fc.integer({ min: 1, max: 20 }),
      });
      const day = (n: number) => new Date(Date.UTC(2027, 0, 1 + n));
      fc.assert(
        fc.property(fc.array(record, { minLength: 1, maxLength: 150 }), query, (records, q) => {
          const c = new Catalogue(records.map((r, i) => ({
            _id: String(i).padStart(24, '0'), titles: { ru: `Т ${r.title}`, en: `T ${r.title}` }, kind: 'k', productGroup: r.group, ics: r.ics, state: r.withdrawn ? 'withdrawn' : 'published',
            designation: `СТ СГ ${i}-2027`, publication: { revision: 1, publishedAt: day(r.day) }, searchTokens: r.tokens, sortKey: `т ${r.title}`,
          })));
          const search = { ...q, from: q.from === undefined ? undefined : day(q.from), locale: 'ru' as const };
          const matches = (stem: string, t: string) => (stem.length >= 3 && !/^\d+$/.test(stem) ? t.startsWith(stem) : t === stem);
          const want = c.entries.filter((e) => search.stems.every((s) => e.tokens.some((t) => matches(s, t))) && (!q.group || e.productGroup === q.group)
            && (!q.ics || e.ics.startsWith(q.ics)) && (!q.status || e.status === q.status) && (!search.from || e.publishedAt >= search.from));
          const r = c.search(search);
          assert.equal(r.total, want.length);
          const page = (q.sort === 'title' ? want : [...want].sort((a, b) => (q.sort === 'date' ? b.publishedAt.getTime() - a.publishedAt.getTime() : Number(/\d+/.exec(a.designation)![0]) - Number(/\d+/.exec(b.designation)![0])) || c.entries.indexOf(a) - c.entries.indexOf(b)))
            .slice((q.page - 1) * q.perPage, q.page * q.perPage);
          assert.deepEqual(r.items.map((e) => e.id), page.map((e) => e.id));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('browse and search', () => {
    const word = runWord();
    const made: Record<string, { id: string; designation: string }> = {};
    before(async function () {
      this.timeout(60_000);
      made.laser = await makePublishedDocument({
        titleRu: `Станки лазерные для резки металла ${word}`, titleEn: `Laser metal-cutting machines ${word}`, productGroup: 'laser-machines', ics: '25.040.20',
        scope: 'Настоящий стандарт распространяется на станки с волоконным излучателем.', designation: 'СТ СГ 12-2091', publishedAt: new Date('2027-03-15T09:00:00Z'), entryIntoForce: { BY: day('2025-01-01'), RU: day('2025-01-01') },
      });
      made.gear = await makePublishedDocument({
        titleRu: `Станок зубофрезерный. Нормы точности ${word}`, titleEn: `Gear hobbing machine. Accuracy standards ${word}`, productGroup: 'gear-cutting-machines', ics: '25.080.50',
        designation: 'СТ СГ 2-2091', publishedAt: new Date('2027-01-10T09:00:00Z'), entryIntoForce: { BY: day('2025-01-01'), RU: day('2099-01-01') },
      });
      made.chips = await makePublishedDocument({
        titleRu: `Микросхемы интегральные ${word}`, titleEn: `Integrated circuits ${word}`, productGroup: 'integrated-circuits', ics: '31.200',
        designation: 'СТ СГ 7-2091', publishedAt: new Date('2027-06-01T09:00:00Z'), entryIntoForce: { BY: day('2099-01-01'), RU: day('2099-03-01') },
      });
      made.devices = await makePublishedDocument({
        titleRu: `Приборы полупроводниковые ${word}`, titleEn: `Semiconductor devices ${word}`, productGroup: 'semiconductor-devices', ics: '31.080.01',
        designation: 'СТ СГ 30-2091', publishedAt: new Date('2026-11-20T09:00:00Z'),
      });
      await withdrawDirectly(made.devices.id, 'Заменён национальными стандартами');
    });

    it('lists published standards to a visitor without an account', async () => {
      const html = await search({ q: word });
      assert.deepEqual(designations(html).sort(), ['СТ СГ 12-2091', 'СТ СГ 2-2091', 'СТ СГ 30-2091', 'СТ СГ 7-2091'].sort());
      assert.match(cheerio.load(html)('[data-test=count]').text(), /Найдено 4 стандарта из \d+/);
    });

    it('finds a Russian word in another grammatical form, in the title or the scope', async () => {
      assert.deepEqual(designations(await search({ q: `станок ${word}` })).sort(), ['СТ СГ 12-2091', 'СТ СГ 2-2091']);
      assert.deepEqual(designations(await search({ q: `резка ${word}` })), ['СТ СГ 12-2091']);
      assert.deepEqual(designations(await search({ q: `волоконными излучателями ${word}` })), ['СТ СГ 12-2091'], 'words of the scope clause');
      assert.deepEqual(designations(await search({ q: `Лазер ${word}` })), ['СТ СГ 12-2091'], 'the beginning of a word');
    });

    it('finds English words of the English title', async () => {
      assert.deepEqual(designations(await search({ q: `machine ${word}` })).sort(), ['СТ СГ 12-2091', 'СТ СГ 2-2091']);
      assert.deepEqual(designations(await search({ q: `circuit ${word}` })), ['СТ СГ 7-2091']);
    });

    it('requires every word to match', async () => {
      assert.deepEqual(designations(await search({ q: `станки микросхемы ${word}` })), []);
      assert.match(await search({ q: `станки микросхемы ${word}` }), /Ничего не найдено/);
    });

    it('finds a standard by its designation', async () => {
      assert.deepEqual(designations(await search({ q: `СТ СГ 12-2091 ${word}` })), ['СТ СГ 12-2091']);
    });

    it('filters by product group, ICS code prefix, status and publication date', async () => {
      assert.deepEqual(designations(await search({ q: word, group: 'laser-machines' })), ['СТ СГ 12-2091']);
      assert.deepEqual(designations(await search({ q: word, ics: '31' })).sort(), ['СТ СГ 30-2091', 'СТ СГ 7-2091']);
      assert.deepEqual(designations(await search({ q: word, ics: '31.200' })), ['СТ СГ 7-2091']);
      assert.deepEqual(designations(await search({ q: word, ics: '25.080' })), ['СТ СГ 2-2091']);
      assert.deepEqual(designations(await search({ q: word, status: 'withdrawn' })), ['СТ СГ 30-2091']);
      // In force in one country at least, or adopted and in force nowhere yet: by the entry into force, whatever today is.
      assert.deepEqual(designations(await search({ q: word, status: 'in-force' })).sort(), ['СТ СГ 12-2091', 'СТ СГ 2-2091']);
      assert.deepEqual(designations(await search({ q: word, status: 'adopted' })), ['СТ СГ 7-2091']);
      const list = cheerio.load(await search({ q: word, sort: 'designation' }));
      const statusOf = (d: string) => list('[data-test=result]').filter((_, tr) => list(tr).find('td').first().text().trim() === d).find('[data-test=country-status] li').map((_, li) => list(li).text()).get();
      assert.deepEqual(statusOf('СТ СГ 2-2091'), ['BY: Действует', 'RU: Принят, вводится в действие с 01.01.2099']);
      assert.equal(list('[data-test=result]').filter((_, tr) => list(tr).find('td').first().text().trim() === 'СТ СГ 7-2091').find('[data-test=status]').text(), 'Принят, ещё не действует');
      assert.deepEqual(designations(await search({ q: word, from: '2027-01-10', to: '2027-03-15' })).sort(), ['СТ СГ 12-2091', 'СТ СГ 2-2091'], 'both ends inclusive');
      assert.deepEqual(designations(await search({ q: word, from: '2027-03-16' })), ['СТ СГ 7-2091']);
      const page = cheerio.load(await search({ q: word, group: 'laser-machines', status: 'in-force' }));
      assert.equal(page('select[name=group] option[selected]').val(), 'laser-machines', 'the form keeps the filters');
      assert.equal(page('select[name=status] option[selected]').val(), 'in-force');
      assert.equal(page('[data-test=feed]').attr('href'), '/catalogue/feed.atom?group=laser-machines');
    });

    it('sorts by designation in number order, and by date newest first, on request', async () => {
      assert.deepEqual(designations(await search({ q: word, sort: 'designation' })), ['СТ СГ 2-2091', 'СТ СГ 7-2091', 'СТ СГ 12-2091', 'СТ СГ 30-2091']);
      assert.deepEqual(designations(await search({ q: word, sort: 'date' })), ['СТ СГ 7-2091', 'СТ СГ 12-2091', 'СТ СГ 2-2091', 'СТ СГ 30-2091']);
    });

    it('shows the English titles to a visitor who chose English', async () => {
      const res = await anon().get('/catalogue').query({ q: word }).set('Cookie', 'lang=en').expect(200);
      assert.ok(titles(res.text).includes(`Integrated circuits ${word}`));
      assert.match(res.text, /4 standards found of \d+/);
    });
  });

  describe('Russian order', () => {
    it('sorts titles by the Russian alphabet, ignoring case and the dots over ё', async function () {
      this.timeout(30_000);
      const word = runWord();
      for (const t of ['Щиты распределительные', 'ёмкости стальные', 'Арматура трубопроводная', 'Емкостные датчики', 'Жгуты проводов', 'Ящики упаковочные', 'ежи монтажные']) {
        await makePublishedDocument({ titleRu: `${t} ${word}`, titleEn: `Item ${word}` });
      }
      assert.deepEqual(titles(await search({ q: word })), [
        'Арматура трубопроводная', 'ежи монтажные', 'ёмкости стальные', 'Емкостные датчики', 'Жгуты проводов', 'Щиты распределительные', 'Ящики упаковочные',
      ].map((t) => `${t} ${word}`));
    });

    it('pages through the results, twenty to a page', async function () {
      this.timeout(60_000);
      const word = runWord();
      for (let i = 1; i <= 23; i++) await makePublishedDocument({ titleRu: `Изделие ${String(i).padStart(2, '0')} ${word}`, titleEn: `Item ${word}` });
      const first = cheerio.load(await search({ q: word }));
      assert.equal(first('[data-test=result]').length, 20);
      assert.equal(first('[data-test=result-title]').first().text(), `Изделие 01 ${word}`);
      const next = first('[data-test=pagination] a[rel=next]').attr('href')!;
      assert.equal(next, `/catalogue?q=${word}&page=2`);
      const second = cheerio.load((await anon().get(next).expect(200)).text);
      assert.deepEqual(second('[data-test=result-title]').map((_, a) => second(a).text()).get(), [21, 22, 23].map((i) => `Изделие ${i} ${word}`));
      assert.equal(second('[data-test=pagination] [aria-current=page]').text(), '2');
      assert.match((await anon().get(`/catalogue?q=${word}&page=9`).expect(200)).text, /На этой странице результатов нет/);
    });
  });

  describe("a standard's page", () => {
    let old: { id: string; designation: string };
    let current: { id: string; designation: string };
    let withdrawn: { id: string; designation: string };
    before(async function () {
      this.timeout(30_000);
      old = await makePublishedDocument({ titleRu: 'Станки лазерные. Общие технические требования', titleEn: 'Laser machines. General technical requirements', productGroup: 'laser-machines', ics: '25.040.20', publishedAt: new Date('2024-02-01T09:00:00Z') });
      current = await makePublishedDocument({
        titleRu: 'Станки лазерные. Общие технические требования (изм.)', titleEn: 'Laser machines. General technical requirements (amended)', productGroup: 'laser-machines', ics: '25.040.20',
        earlierRevisions: 1, supersedes: old.id, publishedAt: new Date('2025-02-01T09:00:00Z'),
        entryIntoForce: { BY: day('2025-07-01'), RU: day('2025-09-01') },
      });
      withdrawn = await makePublishedDocument({ titleRu: 'Прессы листоштамповочные <тип А> & Б', titleEn: 'Sheet-metal presses <type A> & B', productGroup: 'metalworking-machines', ics: '25.120.10' });
      await withdrawDirectly(withdrawn.id, 'Требования перенесены в ТР ТС 010/2011', new Date('2025-05-05T10:00:00+03:00'));
    });

    it('shows titles, designation, status, dates of entry into force per country and downloads', async () => {
      const $ = cheerio.load((await anon().get(`/catalogue/${current.id}`).expect(200)).text);
      assert.equal($('[data-test=designation]').text(), current.designation);
      assert.equal($('h1').text(), 'Станки лазерные. Общие технические требования (изм.)');
      assert.equal($('.title-en').text(), 'Laser machines. General technical requirements (amended)');
      assert.equal($('.doc-head [data-test=status]').text(), 'Действует');
      assert.equal($('title').text(), `${current.designation} · Accord`);
      const eif = $('[data-test=entry-into-force] tbody tr').map((_, tr) => $(tr).find('td').map((__, td) => $(td).text()).get().join(' ')).get();
      assert.deepEqual(eif, ['Республика Беларусь 01.07.2025 Действует', 'Российская Федерация 01.09.2025 Действует']);
      assert.equal($('[data-test=pdf]').attr('href'), `/catalogue/${current.id}/pdf`);
      assert.match($('[data-test=pdf]').text(), /1,2 МБ/);
      assert.equal($('[data-test=requirements-csv]').attr('href'), `/catalogue/${current.id}/requirements.csv`);
      assert.equal($('[data-test=requirements-json]').attr('href'), `/catalogue/${current.id}/requirements.json`);
      assert.equal($('[data-test=text]').attr('href'), `/documents/${current.id}`);
    });

    it('links a superseded version to the one in force and back, with the chain of versions and what changed between them', async () => {
      const oldPage = cheerio.load((await anon().get(`/catalogue/${old.id}`).expect(200)).text);
      assert.equal(oldPage('.doc-head [data-test=status]').text(), 'Заменён');
      assert.equal(oldPage('[data-test=superseded-by] a').attr('href'), `/catalogue/${current.id}`);
      assert.match(oldPage('[data-test=superseded-by]').text(), /Стандарт заменён 01\.02\.2025/);
      const $ = cheerio.load((await anon().get(`/catalogue/${current.id}`).expect(200)).text);
      assert.equal($('[data-test=supersedes] a').attr('href'), `/catalogue/${old.id}`);
      const versions = $('[data-test=versions] li').map((_, li) => $(li).text().replace(/\s+/g, ' ').trim()).get();
      assert.equal(versions.length, 2);
      assert.match(versions[0]!, new RegExp(`^${escape(old.designation)} · Заменён · 01\\.02\\.2024`));
      assert.match(versions[1]!, new RegExp(`^${escape(current.designation)} \\(эта версия\\) · Действует`));
      assert.equal($('[data-test=redline]').length, 0, 'no public redline of draft revisions');
      assert.equal($('[data-test=changes]').attr('href'), `/catalogue/${current.id}/changes`);
      assert.match($('[data-test=changes]').text(), new RegExp(`по сравнению с ${escape(old.designation)}`));
      const changes = cheerio.load((await anon().get(`/catalogue/${current.id}/changes`).expect(200)).text);
      assert.equal(changes('h1').text(), `Изменения: ${old.designation} → ${current.designation}`);
      // both fixtures carry the same text: the page says that nothing changed
      assert.match(changes('[data-test=counts]').text(), /изменено: 0/);
      assert.equal(changes('[data-test=compare-pdf]').length, 0);
      await anon().get(`/catalogue/${old.id}/changes`).expect(404);
      assert.deepEqual(designations(await search({ q: 'станки лазерные', status: 'superseded' })).filter((d) => d === old.designation), [old.designation]);
    });

    it('keeps the draft revisions of a published standard to the committee', async () => {
      const manufacturer = await makeUser('manufacturer');
      const token = await tokenFor(manufacturer);
      const asManufacturer = (path: string) => request(app).get(path).set('Authorization', `Bearer ${token}`);
      for (const get of [anon, asManufacturer]) {
        const as = (path: string) => (get === anon ? anon().get(path) : asManufacturer(path));
        for (const path of [
          `/documents/${current.id}/revisions/1`, `/documents/${current.id}/revisions/1/pdf`, `/api/documents/${current.id}/revisions/1`,
          `/documents/${current.id}/compare?from=1&to=2`, `/documents/${current.id}/compare/pdf?from=1&to=2`, `/api/documents/${current.id}/compare?from=1&to=2`,
        ]) await as(path).expect(404);
        const list = await as(`/api/documents/${current.id}/revisions`).expect(200);
        assert.deepEqual(list.body.revisions.map((r: { number: number }) => r.number), [2]);
        const page = cheerio.load((await as(`/documents/${current.id}`).expect(200)).text);
        assert.equal(page('a[href*="/revisions/1"]').length + page('form.compare-form').length, 0, 'no way to the drafts from the published text');
        await as(`/documents/${current.id}/revisions/2`).expect(200);
      }
      const member = await makeUser('member', { delegation: 'BY' });
      const committee = await tokenFor(member);
      await request(app).get(`/documents/${current.id}/revisions/1`).set('Authorization', `Bearer ${committee}`).expect(200);
      await request(app).get(`/documents/${current.id}/compare?from=1&to=2`).set('Authorization', `Bearer ${committee}`).expect(200);
    });

    it('shows the public only the publication, amendment, supersession and withdrawal events of a history', async () => {
      const doc = await makePublishedDocument({ titleRu: 'Станки зубофрезерные. История', titleEn: 'Gear hobbing machines. History' });
      const event = (action: string, byName: string, note?: string) => ({ at: new Date('2027-03-01T09:00:00Z'), by: null, byName, action, from: null, to: null, revision: 1, ...(note ? { note } : {}) });
      await DocumentModel.updateOne({ _id: doc.id }, { $push: { history: { $each: [
        event('circulate', 'Секретарь Иванова', 'внутренняя заметка секретариата'),
        event('vote', 'Глава делегации Петров', 'голос: за'),
        event('publish', 'Секретарь Иванова', 'заметка к публикации'),
        event('withdraw', 'Секретарь Иванова', 'Требования перенесены'),
      ] } } });
      const manufacturer = await tokenFor(await makeUser('manufacturer'));
      for (const auth of [undefined, `Bearer ${manufacturer}`]) {
        const get = (path: string) => (auth ? request(app).get(path).set('Authorization', auth) : anon().get(path));
        const { history } = (await get(`/api/documents/${doc.id}/history`).expect(200)).body as { history: { action: string; note?: string }[] };
        assert.deepEqual(history.map((e) => e.action), ['publish', 'withdraw']);
        assert.deepEqual(history.map((e) => e.note), [undefined, 'Требования перенесены']);
        const whole = JSON.stringify((await get(`/api/documents/${doc.id}`).expect(200)).body);
        const page = (await get(`/documents/${doc.id}`).expect(200)).text;
        for (const secret of ['Петров', 'внутренняя заметка', 'заметка к публикации', 'голос']) {
          assert.ok(!whole.includes(secret), `the API shows «${secret}»`);
          assert.ok(!page.includes(secret), `the page shows «${secret}»`);
        }
      }
      const member = await tokenFor(await makeUser('member', { delegation: 'RU' }));
      const full = (await request(app).get(`/api/documents/${doc.id}/history`).set('Authorization', `Bearer ${member}`).expect(200)).body.history as { action: string }[];
      assert.ok(['circulate', 'vote', 'publish', 'withdraw'].every((a) => full.some((e) => e.action === a)), 'the committee sees the whole history');
    });

    it('shows the date and reason of a withdrawal, with the title escaped', async () => {
      const res = await anon().get(`/catalogue/${withdrawn.id}`).expect(200);
      const $ = cheerio.load(res.text);
      assert.equal($('.doc-head [data-test=status]').text(), 'Отменён');
      assert.match($('[data-test=withdrawal]').text(), /Стандарт отменён 05\.05\.2025\. Причина: Требования перенесены в ТР ТС 010\/2011/);
      assert.equal($('h1').text(), 'Прессы листоштамповочные <тип А> & Б');
      assert.ok(!res.text.includes('<тип А>'), 'user text is escaped');
    });

    it('answers 404 for a draft, a document awaiting publication, an unknown id and an invalid one, alike', async () => {
      const draft = await makeCirculatedDocument();
      const approved = await makeDraftWithText();
      await approveDirectly(approved.id);
      // A publication half done: numbered and stored, not yet marked published.
      await DocumentModel.updateOne({ _id: approved.id }, { $set: { designation: `СТ СГ ${Date.now()}-2099`, publication: { designation: 'x', revision: 1, publishedAt: new Date(), entryIntoForce: {}, sha256: 'a', size: 1 } } });
      const unknown = String(new mongoose.Types.ObjectId());
      const bodies = new Set<string>();
      for (const id of [draft.id, approved.id, unknown, 'not-an-id', '{"$gt":""}']) {
        for (const suffix of ['', '/requirements.csv', '/requirements.json']) {
          const res = await anon().get(`/catalogue/${encodeURIComponent(id)}${suffix}`);
          assert.equal(res.status, 404, `${id}${suffix}`);
          if (!suffix) bodies.add(cheerio.load(res.text)('main').text().replace(/\s+/g, ' '));
        }
        const json = await anon().get(`/catalogue/${encodeURIComponent(id)}/requirements.json`).set('Accept', 'application/json').expect(404);
        assert.equal(json.body.error.message, 'Стандарт не найден в каталоге.');
      }
      assert.equal(bodies.size, 1, 'the same answer whatever the id is');
      const secretariat = await signIn(app, await makeUser('secretariat'));
      await secretariat.agent.get(`/catalogue/${draft.id}`).expect(404);
    });
  });

  describe('requirements as data', () => {
    let doc: { id: string; designation: string };
    before(async function () {
      this.timeout(30_000);
      doc = await makePublishedDocument({
        titleRu: 'Микросхемы интегральные КМОП. Технические требования', titleEn: 'CMOS integrated circuits. Technical requirements',
        requirements: [
          { parameter: 'Напряжение питания', min: 4.5, max: 5.5, unit: 'В', heading: 'Питание' },
          { parameter: 'Ток потребления', max: 10, unit: 'мА' },
          { parameter: 'Толщина корпуса', nominal: 1.2, tolerance: 0.05, unit: 'мм' },
          { parameter: '=HYPERLINK("http://evil.example","нажми")', value: '@SUM(A1)', methodKey: null },
          { parameter: 'Площадь кристалла', max: 25, unit: 'мм^{2}' },
        ],
      });
    });

    it('exports the requirement clauses as CSV in UTF-8 with a BOM, formula-safe', async () => {
      const res = await anon().get(`/catalogue/${doc.id}/requirements.csv`).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="ST SG \d+-2027 requirements.csv"; filename\*=UTF-8''%D0%A1%D0%A2%20%D0%A1%D0%93%20\d+-2027%20requirements\.csv$/);
      const body = res.body as Buffer;
      assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = body.subarray(3).toString('utf8');
      assert.ok(text.endsWith('\r\n'));
      const [header, ...rows] = parseCsv(text);
      assert.deepEqual(header, ['Пункт / Clause', 'Ключ пункта / Clause key', 'Параметр / Parameter', 'Значение / Value', 'Не менее / Min', 'Не более / Max', 'Номинал / Nominal', 'Допуск ± / Tolerance ±', 'Единица / Unit', 'Требование / Requirement as printed', 'Метод испытаний (пункт) / Test method clause']);
      assert.equal(rows.length, 5);
      const [supply, current, thickness, evil, area] = rows;
      assert.match(supply![0]!, /^4\.\d+\.\d+$/);
      assert.equal(supply![1]!.length, 12, 'the stable clause key');
      assert.deepEqual(supply!.slice(2), ['Напряжение питания', '', '4,5', '5,5', '', '', 'В', 'от 4,5 до 5,5 В', '8.1']);
      assert.deepEqual(current!.slice(2), ['Ток потребления', '', '', '10', '', '', 'мА', 'не более 10 мА', '8.1']);
      assert.deepEqual(thickness!.slice(2), ['Толщина корпуса', '', '', '', '1,2', '0,05', 'мм', '(1,2 ± 0,05) мм', '8.1']);
      assert.deepEqual(evil!.slice(2), ["'=HYPERLINK(\"http://evil.example\",\"нажми\")", "'@SUM(A1)", '', '', '', '', '', "'@SUM(A1)", ''], 'cells that would start a formula stay text; no test method');
      assert.deepEqual(area!.slice(8, 10), ['мм²', 'не более 25 мм²']);
    });

    it('exports the same requirements as JSON, with the document they belong to', async () => {
      const res = await anon().get(`/catalogue/${doc.id}/requirements.json`).expect(200).expect('Content-Type', /application\/json/);
      assert.equal(res.body.document.designation, doc.designation);
      assert.equal(res.body.document.status, 'in-force');
      assert.equal(res.body.document.url, `${publicUrl}/catalogue/${doc.id}`);
      const spoofed = await anon().get(`/catalogue/${doc.id}/requirements.json`).set('Host', 'spoofed-host.example').expect(200);
      assert.doesNotMatch(JSON.stringify(spoofed.body), /spoofed-host/);
      const [supply, , thickness, evil] = res.body.requirements;
      assert.deepEqual(
        { parameter: supply.parameter, min: supply.min, max: supply.max, nominal: supply.nominal, unit: supply.unit, text: supply.text, testMethod: supply.testMethod.clause, heading: supply.heading },
        { parameter: 'Напряжение питания', min: 4.5, max: 5.5, nominal: null, unit: 'В', text: { ru: 'от 4,5 до 5,5 В', en: 'from 4.5 to 5.5 В' }, testMethod: '8.1', heading: 'Питание' },
      );
      assert.match(supply.clause, /^4\.\d+\.\d+$/);
      assert.equal(supply.key.length, 12);
      assert.deepEqual([thickness.nominal, thickness.tolerance, thickness.text.ru], [1.2, 0.05, '(1,2 ± 0,05) мм']);
      assert.equal(evil.value, '@SUM(A1)', 'JSON carries the text as it is');
      assert.equal(evil.testMethod, null);
    });
  });

  describe('Atom feed', () => {
    it('is well-formed Atom with publications, amendments and withdrawals, newest first, XML-escaped', async function () {
      this.timeout(30_000);
      const word = runWord();
      const a = await makePublishedDocument({ titleRu: `Станки & прессы <гибочные> ${word}`, titleEn: `Bending "machines" ${word}`, productGroup: 'metalworking-machines', publishedAt: new Date('2030-01-01T09:00:00Z') });
      const b = await makePublishedDocument({ titleRu: `Станки гибочные, изм. ${word}`, titleEn: `Bending machines, amended ${word}`, productGroup: 'metalworking-machines', supersedes: a.id, publishedAt: new Date('2030-02-01T09:00:00Z') });
      const c = await makePublishedDocument({ titleRu: `Микросхемы ${word}`, titleEn: `Circuits ${word}`, productGroup: 'integrated-circuits', publishedAt: new Date('2030-03-01T09:00:00Z') });
      await withdrawDirectly(c.id, 'Ошибка в <таблице> & формулах', new Date('2030-04-01T09:00:00Z'));

      const res = await anon().get('/catalogue/feed.atom').expect(200);
      assert.match(String(res.headers['content-type']), /^application\/atom\+xml; charset=utf-8/);
      const xml = res.text;
      const parser = new SaxesParser({ xmlns: true });
      const names: string[] = [];
      parser.on('opentag', (t) => names.push(`${t.uri}|${t.local}`));
      parser.write(xml).close();
      assert.equal(names[0], 'http://www.w3.org/2005/Atom|feed');

      const $ = cheerio.load(xml, { xml: true });
      for (const required of ['feed > id', 'feed > title', 'feed > updated', 'feed > author > name', 'feed > link[rel=self]']) assert.equal($(required).length, 1, required);
      assert.equal($('feed > link[rel=self]').attr('href'), `${publicUrl}/catalogue/feed.atom`);
      const ours = $('entry').filter((_, e) => $(e).find('title').text().includes(word));
      const entries = ours.map((_, e) => ({
        title: $(e).find('title').text(), id: $(e).find('id').text(), updated: $(e).find('updated').text(), link: $(e).find('link[rel=alternate]').attr('href'), summary: $(e).find('summary').text(),
      })).get();
      assert.deepEqual(entries.map((e) => e.title.split(':')[0]), ['Отменён', 'Опубликован', 'Изменение', 'Опубликован']);
      assert.equal(entries[0]!.title, `Отменён: ${c.designation} Микросхемы ${word}`);
      assert.equal(entries[0]!.updated, '2030-04-01T09:00:00.000Z');
      assert.match(entries[0]!.summary, /Причина: Ошибка в <таблице> & формулах/);
      assert.equal(entries[2]!.title, `Изменение: ${b.designation} Станки гибочные, изм. ${word}`);
      assert.match(entries[2]!.summary, new RegExp(`взамен ${escape(a.designation)}`));
      assert.equal(entries[3]!.title, `Опубликован: ${a.designation} Станки & прессы <гибочные> ${word}`);
      assert.ok(xml.includes('Станки &amp; прессы &lt;гибочные&gt;'), 'escaped in the XML');
      for (const e of entries) {
        assert.match(e.id, /^tag:[a-z0-9.-]+,2025:catalogue\/[0-9a-f]{24}\/(published|amended|withdrawn)$/);
        assert.match(e.link!, new RegExp(`^${escape(publicUrl)}/catalogue/[0-9a-f]{24}$`));
      }
      assert.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'entry ids are unique');

      // Whatever Host a client sends, links start with PUBLIC_URL and the ids stay the same.
      const spoofed = cheerio.load((await anon().get('/catalogue/feed.atom').set('Host', 'spoofed-host.example').expect(200)).text, { xml: true });
      assert.doesNotMatch(spoofed.xml(), /spoofed-host/);
      assert.deepEqual(spoofed('entry id').map((_, x) => spoofed(x).text()).get(), $('entry id').map((_, x) => $(x).text()).get());

      const group = cheerio.load((await anon().get('/catalogue/feed.atom?group=integrated-circuits').expect(200)).text, { xml: true });
      const groupTitles = group('entry title').map((_, t) => group(t).text()).get().filter((t) => t.includes(word));
      assert.deepEqual(groupTitles.map((t) => t.split(':')[0]), ['Отменён', 'Опубликован']);
      assert.equal(group('entry category[term]').filter((_, c) => /-/.test(group(c).attr('term')!)).map((_, c) => group(c).attr('term')).get().every((t) => t === 'integrated-circuits'), true);
      assert.match(group('feed > title').text(), /Микросхемы интегральные/);
    });

    it('refuses an unknown product group with 422 and a repeated one with 400', async () => {
      const res = await anon().get('/catalogue/feed.atom?group=no-such-group').expect(422);
      assert.match(res.text, /Такой группы продукции нет/);
      await anon().get('/catalogue/feed.atom?group=a&group=b').expect(400);
    });
  });

  describe('the cache', () => {
    it('shows a change made through another instance within a second, by the stored counter alone', async function () {
      this.timeout(20_000);
      const word = runWord();
      await currentCatalogue();
      // As another server would: the document (with the search fields its listener stores) and the
      // counter change; this instance is not told.
      const draft = await makeDraftWithText({ titleRu: `Приборы ${word}`, titleEn: `Devices ${word}` });
      const designation = `СТ СГ ${Date.now() % 1e7}-2093`;
      const publication = { designation, revision: 1, publishedAt: new Date(), entryIntoForce: {}, sha256: 'b', size: 2 };
      const fields = await searchFieldsOf({ _id: new mongoose.Types.ObjectId(draft.id), titles: { ru: `Приборы ${word}`, en: `Devices ${word}` }, designation, publication: publication as never });
      await DocumentModel.updateOne({ _id: draft.id }, { $set: { state: 'published', stage: '60.60', designation, publication, ...fields } });
      assert.equal(designations(await search({ q: word })).length, 0, 'not yet: this instance read the counter a moment ago');
      await CatalogueVersion.updateOne({ _id: 'catalogue' }, { $inc: { version: 1 }, $set: { changedAt: new Date() } }, { upsert: true });
      await pause(1100);
      assert.equal(designations(await search({ q: word })).length, 1);
    });
  });

  describe('subscriptions', () => {
    const smtp = () => testEnv().smtp;
    const mailsTo = (who: MadeUser, about: string) => smtp().messages.filter((m) => m.to.includes(who.email.toLowerCase()) && m.subject.includes(about));

    it('lets a manufacturer choose product groups with checkboxes', async () => {
      const maker = await makeUser('manufacturer');
      const s = await signIn(app, maker);
      const form = cheerio.load((await s.agent.get('/account/subscriptions').expect(200)).text);
      const boxes = form('input[type=checkbox][name=groups]').map((_, i) => form(i).val()).get();
      assert.ok(boxes.includes('laser-machines') && boxes.includes('integrated-circuits'));
      await s.agent.post('/account/subscriptions').type('form').send(`_csrf=${encodeURIComponent(csrfOf(form.html()))}&groups=laser-machines&groups=integrated-circuits`).expect(303).expect('Location', '/account/subscriptions?saved=1');
      const after = cheerio.load((await s.agent.get('/account/subscriptions?saved=1').expect(200)).text);
      assert.deepEqual(after('input:checked').map((_, i) => after(i).val()).get().sort(), ['integrated-circuits', 'laser-machines']);
      assert.equal(after('[data-test=saved]').length, 1);
      const none = await s.agent.post('/account/subscriptions').type('form').send({ _csrf: csrfOf(after.html()) }).expect(303);
      assert.equal(none.headers.location, '/account/subscriptions?saved=1');
      const cleared = cheerio.load((await s.agent.get('/account/subscriptions').expect(200)).text);
      assert.equal(cleared('input:checked').length, 0);
    });

    it('refuses an unknown product group or an unknown field, changing nothing', async () => {
      const maker = await makeUser('manufacturer');
      const s = await signIn(app, maker);
      await s.agent.post('/account/subscriptions').type('form').send(`_csrf=${encodeURIComponent(s.csrf)}&groups=laser-machines`).expect(303);
      const bad = await s.agent.post('/account/subscriptions').type('form').send(`_csrf=${encodeURIComponent(s.csrf)}&groups=laser-machines&groups=no-such-group`).expect(422);
      assert.match(cheerio.load(bad.text)('.alert').text(), /Такой группы продукции нет/);
      await s.agent.post('/account/subscriptions').type('form').send({ _csrf: s.csrf, groups: 'integrated-circuits', admin: '1' }).expect(422);
      const page = cheerio.load((await s.agent.get('/account/subscriptions').expect(200)).text);
      assert.deepEqual(page('input:checked').map((_, i) => page(i).val()).get(), ['laser-machines']);
    });

    it('mails a follower of the group once when a standard is published, amended and withdrawn; nobody else', async function () {
      this.timeout(60_000);
      const follower = await makeUser('manufacturer');
      const other = await makeUser('manufacturer');
      const optedOut = await makeUser('manufacturer');
      for (const [who, group] of [[follower, 'gear-cutting-machines'], [other, 'semiconductor-devices'], [optedOut, 'gear-cutting-machines']] as const) {
        const s = await signIn(app, who);
        await s.agent.post('/account/subscriptions').type('form').send({ _csrf: s.csrf, groups: group }).expect(303);
      }
      await User.updateOne({ email: optedOut.email }, { $set: { unsubscribed: ['catalogue'] } });
      const s = await signIn(app, optedOut);
      assert.equal(cheerio.load((await s.agent.get('/account/subscriptions').expect(200)).text)('[data-test=mail-off]').length, 1);

      const word = runWord();
      const first = await makeDraftWithText({ titleRu: `Станки зубодолбёжные ${word}`, titleEn: `Gear shaping machines ${word}`, productGroup: 'gear-cutting-machines' });
      const d1 = await publishThroughWorkflow(first);
      const published = await smtp().waitFor(follower.email, (m) => m.subject.includes(d1), 10_000);
      assert.equal(published.subject, `Каталог: ${d1} — опубликован`);
      assert.match(published.text, new RegExp(`стандарт ${escape(d1)} «Станки зубодолбёжные ${word}» опубликован`));
      assert.match(published.text, new RegExp(`http://accord\\.test/catalogue/${first.id}`));
      assert.match(published.text, /notifications\/unsubscribe\?u=[0-9a-f]{24}&k=catalogue&s=/);
      // A manufacturer is told why the mail came as a subscriber, never as one who works in the committee.
      assert.match(published.text, /подписаны на изменения каталога стандартов/);
      assert.doesNotMatch(published.text, /участник работы комитета/);
      // The listener stored the search fields: found at once.
      assert.deepEqual(designations(await search({ q: `зубодолбежный ${word}` })), [d1]);

      const second = await makeDraftWithText({ titleRu: `Станки зубодолбёжные, изм. 1 ${word}`, titleEn: `Gear shaping machines, amendment 1 ${word}`, productGroup: 'gear-cutting-machines' });
      // Publishing the successor supersedes the first (the 'publish' move's effect).
      const d2 = await publishThroughWorkflow(second, { supersedes: first.id });
      const amended = await smtp().waitFor(follower.email, (m) => m.subject.includes(d2), 10_000);
      assert.equal(amended.subject, `Каталог: ${d2} — опубликован взамен ${d1}`);
      const oldPage = cheerio.load((await anon().get(`/catalogue/${first.id}`).expect(200)).text);
      assert.equal(oldPage('[data-test=superseded-by] a').attr('href'), `/catalogue/${second.id}`);

      await withdrawThroughWorkflow(second.id, second.by, 'Отменён решением Комитета № 5');
      const withdrawn = await smtp().waitFor(follower.email, (m) => m.subject.includes(`${d2} — отменён`), 10_000);
      assert.match(withdrawn.text, /отменён \(причина: Отменён решением Комитета № 5\)/);

      // The same move reported again (a retried job, a second instance) sends nothing more.
      const doc = await DocumentModel.findById(second.id).select({ titles: 1, state: 1, productGroup: 1, supersedes: 1 }).lean<DocumentRecord>();
      await catalogueListener(testSystem().notices).onMove({ actor: null, name: 'withdraw', before: { ...doc!, state: 'published' }, after: doc!, now: new Date() });
      await drainNotices();
      assert.equal(mailsTo(follower, d1).length, 2, 'published, then named in the amendment');
      assert.equal(mailsTo(follower, d2).length, 2, 'amended and withdrawn, once each');
      assert.equal(mailsTo(other, word).length + mailsTo(other, d1).length + mailsTo(other, d2).length, 0, 'another group');
      assert.equal(mailsTo(optedOut, d1).length + mailsTo(optedOut, d2).length, 0, 'turned catalogue notices off');
    });
  });

  describe('with the publishing feature', () => {
    it('shows a standard published, amended and withdrawn through the publication service at once, with its stored PDF', async function () {
      this.timeout(120_000);
      const word = runWord();
      const follower = await makeUser('manufacturer');
      const s = await signIn(app, follower);
      await s.agent.post('/account/subscriptions').type('form').send({ _csrf: s.csrf, groups: 'integrated-circuits' }).expect(303);

      const { id, by } = await makeApprovedDocument({ title: `Микросхемы интегральные серии ${word}. Общие технические требования` });
      const published = await publish(actorOf(by), id, entryInDays(30, 60), publishOptions());
      const designation = published.publication!.designation;
      assert.deepEqual(designations(await search({ q: `микросхема ${word}` })), [designation], 'found at once, by a stemmed word');
      assert.deepEqual(designations(await search({ q: `распространяется ${word}` })), [designation], 'and by the scope clause of the published revision');
      const page = cheerio.load((await anon().get(`/catalogue/${id}`).expect(200)).text);
      assert.equal(page('[data-test=designation]').text(), designation);
      assert.equal(page('code.hash').text(), published.publication!.sha256);
      const pdf = await anon().get(page('[data-test=pdf]').attr('href')!).buffer(true).parse(binaryBody).expect(200);
      assert.equal((pdf.body as Buffer).subarray(0, 5).toString(), '%PDF-');
      await testEnv().smtp.waitFor(follower.email, (m) => m.subject === `Каталог: ${designation} — опубликован`, 10_000);

      const successor = await amend(actorOf(by), id, new Date(), testSystem().lifecycle);
      assert.equal((await anon().get(`/catalogue/${successor._id}`)).status, 404, 'the amendment is a draft until it is published');
      await approve(String(successor._id), by);
      const next = await publish(actorOf(by), String(successor._id), entryInDays(30, 60), publishOptions());
      const nextDesignation = next.publication!.designation;
      const oldPage = cheerio.load((await anon().get(`/catalogue/${id}`).expect(200)).text);
      assert.equal(oldPage('.doc-head [data-test=status]').text(), 'Заменён');
      assert.equal(oldPage('[data-test=superseded-by] a').attr('href'), `/catalogue/${successor._id}`);
      await testEnv().smtp.waitFor(follower.email, (m) => m.subject === `Каталог: ${nextDesignation} — опубликован взамен ${designation}`, 10_000);

      await withdraw(actorOf(by), String(successor._id), { reason: `Отменён ${word}`, date: dayOf(new Date()) }, new Date(), testSystem().lifecycle);
      const feed = (await anon().get('/catalogue/feed.atom?group=integrated-circuits').expect(200)).text;
      assert.match(feed, new RegExp(`<title>Отменён: ${escape(nextDesignation)} `));
      assert.match(feed, new RegExp(`<title>Изменение: ${escape(nextDesignation)} `));
      assert.deepEqual(designations(await search({ q: word, status: 'withdrawn' })), [nextDesignation]);
    });
  });

  describe('bad input', () => {
    const refused = async (query: string, status: number, message: RegExp) => {
      const res = await anon().get(`/catalogue?${query}`);
      assert.equal(res.status, status, `${query}: ${res.status}`);
      const $ = cheerio.load(res.text);
      assert.match($('.alert').text(), message, query);
      assert.equal($('[data-test=result]').length, 0);
      assert.ok($('form[data-test=search]').length, 'the form is shown again');
    };

    it('refuses malformed filters with 400 or 422 and a message naming the problem, never 500', async () => {
      await refused('from=not-a-date', 422, /Это не дата/);
      await refused('to=2027-02-30', 422, /Это не дата/);
      await refused('from=2027-05-01&to=2027-04-01', 422, /Дата «по» раньше даты «с»/);
      await refused('status=cancelled', 422, /Неизвестный статус/);
      await refused('status=draft', 422, /Неизвестный статус/);
      await refused('sort=%24natural', 422, /Неизвестный порядок/);
      await refused('page=0', 422, /Номер страницы/);
      await refused('page=-1', 422, /Номер страницы/);
      await refused('page=1e3', 422, /Номер страницы/);
      await refused('ics=abc', 422, /Код ОКС/);
      await refused('group=no-such-group', 422, /Такой группы продукции нет/);
      await refused('group=%24where', 422, /Код группы продукции/);
      await refused(`q=${'а'.repeat(201)}`, 422, /Слишком длинный запрос/);
      await refused('q=a&q=b', 400, /указан несколько раз/);
      const form = cheerio.load((await anon().get('/catalogue?from=not-a-date&q=станки')).text);
      assert.equal(form('input[name=q]').val(), 'станки', 'what was typed is kept');
      assert.equal(form('input[name=from]').val(), 'not-a-date');
      assert.equal(form('.has-error input[name=from]').length, 1);
    });

    it('answers JSON callers with a JSON error', async () => {
      const res = await anon().get('/catalogue/feed.atom?group=nope').set('Accept', 'application/json').expect(422);
      assert.equal(res.body.error.message, 'Такой группы продукции нет.');
    });

    it('treats bracketed parameters as text, never as operators', async () => {
      const res = await anon().get('/catalogue?q[$ne]=x&status[$gt]=');
      assert.ok(res.status < 500);
    });
  });

  describe('who sees what', () => {
    it('lets an anonymous visitor who follows every link from the catalogue and the feed find only published material', async function () {
      this.timeout(180_000);
      const word = runWord();
      const marker = `НЕОПУБЛИКОВАНО${word}`;
      // Published, with their versions, a redline and a withdrawal.
      const v1 = await makePublishedDocument({ titleRu: `Станки листогибочные ${word}`, titleEn: `Press brakes ${word}`, productGroup: 'metalworking-machines' });
      const v2 = await makePublishedDocument({ titleRu: `Станки листогибочные, изм. ${word}`, titleEn: `Press brakes, amended ${word}`, productGroup: 'metalworking-machines', supersedes: v1.id, earlierRevisions: 1 });
      const w = await makePublishedDocument({ titleRu: `Ножницы гильотинные ${word}`, titleEn: `Guillotine shears ${word}`, productGroup: 'metalworking-machines' });
      await withdrawDirectly(w.id, 'Устарел');
      // Everything else carries the marker in its titles and scope.
      const hidden: string[] = [];
      const secret = { titleRu: `Станки ${marker}`, titleEn: `Machines ${marker}`, productGroup: 'metalworking-machines', scope: `Область ${marker}` };
      hidden.push((await makeDraftWithText(secret)).id);
      const circulated = await makeDraftWithText(secret);
      await transition(actorOf(circulated.by), circulated.id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 86400_000) });
      hidden.push(circulated.id);
      const approved = await makeDraftWithText(secret);
      await approveDirectly(approved.id);
      await DocumentModel.updateOne({ _id: approved.id }, { $set: { designation: `СТ СГ ${marker}`, publication: { designation: `СТ СГ ${marker}`, revision: 1, publishedAt: new Date(), entryIntoForce: {}, sha256: 'c', size: 3 } } });
      hidden.push(approved.id);
      const cancelled = await makeDraftWithText(secret);
      await transition(actorOf(cancelled.by), cancelled.id, 'cancel', { now: new Date(), note: 'Работа прекращена.' });
      hidden.push(cancelled.id);
      // The next version of a published standard, still a draft.
      const successor = await makeDraftWithText(secret);
      await DocumentModel.updateOne({ _id: successor.id }, { $set: { supersedes: new mongoose.Types.ObjectId(v2.id) } });
      hidden.push(successor.id);

      const publicIds = new Set(
        (await DocumentModel.find({ state: mongoose.trusted({ $in: ['published', 'withdrawn'] }), publication: mongoose.trusted({ $ne: null }) } as Record<string, unknown>).select({ _id: 1 }).lean()).map((d) => String(d._id)),
      );
      const origin = 'http://127.0.0.1';
      const queue = ['/catalogue', `/catalogue?q=${word}`, '/catalogue/feed.atom', '/catalogue/feed.atom?group=metalworking-machines'];
      const seen = new Set(queue);
      const problems: string[] = [];
      const visited: string[] = [];
      const LIMIT = 3000;
      while (queue.length && visited.length < LIMIT) {
        const url = queue.shift()!;
        const res = await anon().get(url).buffer(true);
        visited.push(url);
        if (res.status >= 500) problems.push(`${url}: ${res.status}`);
        if (res.status === 404) problems.push(`${url}: a broken link (404)`);
        const text = res.text ?? '';
        if (text.includes(marker)) problems.push(`${url}: shows unpublished material`);
        for (const h of hidden) if (text.includes(h)) problems.push(`${url}: names the unpublished document ${h}`);
        if (!/html|xml/.test(String(res.headers['content-type']))) continue;
        const $ = cheerio.load(text, { xml: /xml/.test(String(res.headers['content-type'])) });
        const hrefs = [...$('a[href]').map((_, a) => $(a).attr('href')).get(), ...$('link[href]').map((_, l) => $(l).attr('href')).get()];
        for (const raw of hrefs) {
          // absolute links (the feed's) start with PUBLIC_URL: the same site
          const u = new URL(raw.startsWith(publicUrl) ? raw.slice(publicUrl.length) || '/' : raw, `${origin}${url}`);
          if (u.hostname !== '127.0.0.1' || !/^https?:$/.test(u.protocol)) continue;
          const path = u.pathname + u.search;
          const doc = /^\/(catalogue|documents|verify)\/([^/?]+)/.exec(u.pathname);
          if (doc && doc[2] !== 'feed.atom' && !publicIds.has(doc[2]!)) problems.push(`${url} links to ${path}, which is not a published document`);
          if (/^\/(static|locale)\//.test(u.pathname)) continue;
          // Binary downloads are not walked: their ids were checked above.
          if (/\/(pdf|docx)$/.test(u.pathname)) continue;
          if (!seen.has(path)) {
            seen.add(path);
            queue.push(path);
          }
        }
      }
      assert.deepEqual(problems, []);
      for (const id of [v1.id, v2.id, w.id]) {
        assert.ok(visited.includes(`/catalogue/${id}`), `the walk reached /catalogue/${id}`);
        assert.ok(visited.includes(`/catalogue/${id}/requirements.csv`) && visited.includes(`/catalogue/${id}/requirements.json`));
      }
      assert.ok(visited.includes(`/catalogue/${v2.id}/changes`), 'the changes between editions were walked');
      assert.ok(!visited.some((u) => u.includes('/compare')), 'no redline of drafts is reachable');
      assert.ok(visited.length > 10 && visited.length < LIMIT, `walked ${visited.length} pages`);
      console.log(`      (walked ${visited.length} pages)`);
      // And a direct search for the hidden words finds nothing.
      assert.deepEqual(designations(await search({ q: marker })), []);
      assert.doesNotMatch((await anon().get('/catalogue/feed.atom').expect(200)).text, new RegExp(marker));
    });
  });
});
