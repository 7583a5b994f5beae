// Pages a person opens now and then, looked at in Chromium at desktop and phone width (axe-core, no
// sideways scrolling): the page a published PDF's QR code leads to, the administrator's invite panel, a
// manufacturer's account; the long lists a page at a time (people, a document's history).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel } from '../../server/documents/model.js';
import { User } from '../../server/users/model.js';
import { searchWordsOf } from '../../server/users/index.js';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { delegationId, makeDocument, makeUser } from '../helpers/factories.js';
import { makePublishedDocument } from '../helpers/publishing.js';

describe('pages seen now and then, in a browser', function () {
  this.timeout(180_000);
  const { journey, base: baseUrl } = journeyInProcess('small-pages', () => testApp());

  it('lays out the QR verify page of a published standard: its facts in rows, label beside value, the hash wrapping', async () => {
    const base = baseUrl();
    const { id } = await makePublishedDocument();
    const page = await journey.newPage('visitor');
    await page.goto(`${base}/verify/${id}`);
    await see(page, '[data-test=designation]', /СТ СГ/);
    await journey.screenshot(page, 'qr-verify');
    // The facts are a grid of label and value at desktop width: each label on the row of its value.
    const rows = await page.locator('[data-test=publication] dl dt').evaluateAll((dts) => dts.map((dt) => {
      const dd = dt.nextElementSibling!;
      return { dt: dt.getBoundingClientRect().top, dd: dd.getBoundingClientRect().top, ddLeft: dd.getBoundingClientRect().left, dtLeft: dt.getBoundingClientRect().left };
    }));
    assert.ok(rows.length >= 4, 'the facts are listed');
    for (const r of rows) {
      assert.ok(Math.abs(r.dt - r.dd) < 4, `label and value on one row: ${JSON.stringify(r)}`);
      assert.ok(r.ddLeft > r.dtLeft + 40, `the value beside its label: ${JSON.stringify(r)}`);
    }
  });

  it('shows the invite panel with its dropdowns whole, at desktop and phone width', async () => {
    const base = baseUrl();
    const admin = await makeUser('administrator');
    const page = await journey.newPage('administrator');
    await journey.signIn(page, base, admin.email, admin.password);
    await page.goto(`${base}/admin/users`);
    await see(page, 'h2', 'Пригласить');
    await journey.screenshot(page, 'invite-panel');
    for (const width of [1280, 1100, 1024, 900, 820, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const form = page.locator('form[data-test=invite]');
      const box = (await form.boundingBox())!;
      for (const name of ['role', 'delegation']) {
        const select = form.locator(`select[name=${name}]`);
        const s = (await select.boundingBox())!;
        assert.ok(s.x >= box.x - 1 && s.x + s.width <= box.x + box.width + 1, `${name} inside its panel at ${width} px: ${JSON.stringify(s)} in ${JSON.stringify(box)}`);
        // Every choice fits the closed select, whichever is chosen: its text is narrower than the box (less
        // its padding and arrow).
        const cut = await select.evaluate((el: HTMLSelectElement) => {
          const style = getComputedStyle(el);
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.font = style.font;
          const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
          return Array.from(el.options).map((o) => o.text).filter((t) => ctx.measureText(t).width > room);
        });
        assert.deepEqual(cut, [], `${name} at ${width} px cuts off these choices`);
      }
      const panel = (await page.locator('section.panel', { has: form }).boundingBox())!;
      assert.ok(panel.width >= Math.min(300, width - 40), `the invite panel is ${panel.width} px wide at ${width} px`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lists people at phone width one under the other, each with its actions in sight, its action column named', async () => {
    const base = baseUrl();
    const admin = await makeUser('administrator');
    // The list is paged: both people carry a word of their own, and the list is searched by it.
    const tag = `телефон${randomBytes(3).toString('hex')}`;
    await makeUser('member', { delegation: 'BY', name: `Надежда Приглашённая-Длиннофамильная ${tag}`, invited: true });
    await makeUser('head', { delegation: 'RU', name: `Сергей Петров ${tag}` });
    const page = await journey.newPage('administrator');
    await journey.signIn(page, base, admin.email, admin.password);
    await page.goto(`${base}/admin/users?q=${encodeURIComponent(tag)}`);
    const users = page.locator('table[data-test=users]');
    assert.equal((await users.locator('thead th').last().textContent())?.trim(), 'Действия', 'the column of actions has a heading');
    await page.setViewportSize({ width: 390, height: 844 });
    const rows = users.locator('tbody tr', { has: page.locator('[data-test=deactivate]') });
    assert.ok((await rows.count()) >= 2);
    for (const row of (await rows.all()).slice(0, 12)) {
      const action = (await row.locator('[data-test=deactivate]').boundingBox())!;
      assert.ok(action.x >= 0 && action.x + action.width <= 390, `«Отключить» in sight at 390 px: ${JSON.stringify(action)}`);
      const name = (await row.locator('td').first().boundingBox())!;
      assert.ok(action.y > name.y, 'the actions under the name');
    }
    const invited = users.locator('tbody tr', { hasText: 'Надежда Приглашённая-Длиннофамильная' });
    assert.match(await invited.innerText(), /Член делегации\s+BY\s+приглашён/);
    assert.ok(await invited.getByRole('button', { name: 'Выслать приглашение снова' }).isVisible());
    await page.setViewportSize({ width: 1280, height: 800 });
    await journey.screenshot(page, 'users-list');
  });

  it('lists a few hundred people a page at a time, searched and filtered by a form without script, at desktop and phone width', async () => {
    const base = baseUrl();
    const tag = `людей${randomBytes(3).toString('hex')}`;
    const surnames = ['Ковалёва', 'Новиков', 'Морозова', 'Волков', 'Соколова', 'Лебедев', 'Козлова-Бельская'];
    const firsts = ['Ирина', 'Пётр', 'Анна', 'Сергей', 'Ольга', 'Дмитрий', 'Елена'];
    const [by, ru] = [await delegationId('BY'), await delegationId('RU')];
    const people = Array.from({ length: 300 }, (_, i) => {
      const name = `${surnames[i % 7]} ${firsts[(i * 3) % 7]} ${tag}`;
      const email = `${firsts[(i * 3) % 7]!.toLowerCase()}.${i}.${tag}@gosstandart-example.by`;
      return {
        _id: new mongoose.Types.ObjectId(), name, email, role: i % 11 === 0 ? 'head' : 'member', delegation: i % 2 ? by : ru, delegationCode: i % 2 ? 'BY' : 'RU',
        active: i % 13 !== 0, passwordHash: i % 5 === 0 ? null : 'not-a-real-hash', sessionVersion: 0, unsubscribed: [], searchWords: searchWordsOf(name, email), createdAt: new Date(), updatedAt: new Date(),
      };
    });
    await User.collection.insertMany(people);
    try {
      const admin = await makeUser('administrator');
      const page = await journey.newPage('administrator');
      await journey.signIn(page, base, admin.email, admin.password);
      await page.goto(`${base}/admin/users`);
      await see(page, '[data-test=people-count]', /^1–50 из \d+$/);
      await journey.screenshot(page, 'people-first-page');
      // The form is a GET form: the choices go into the address, and the links to other pages keep them.
      const form = page.locator('form[data-test=people-filter]');
      await form.getByLabel('Поиск').fill(tag);
      await form.getByLabel('Делегация').selectOption('BY');
      await form.getByLabel('Состояние').selectOption('active');
      await form.getByRole('button', { name: 'Показать' }).click();
      const selected = people.filter((p) => p.delegationCode === 'BY' && p.active && p.passwordHash).length;
      await see(page, '[data-test=people-count]', `1–50 из ${selected}`);
      assert.match(decodeURIComponent(page.url()), new RegExp(`q=${tag}.*delegation=BY.*status=active`));
      await journey.screenshot(page, 'people-filtered');
      await page.locator('[data-test=pager]').getByRole('link', { name: '2', exact: true }).click();
      await see(page, '[data-test=people-count]', `51–100 из ${selected}`);
      assert.equal(await form.getByLabel('Делегация').inputValue(), 'BY', 'the filter is kept on the next page');
      await journey.screenshot(page, 'people-filtered-page-2');
      // A search by a word of the name, the «ё» typed or not.
      await form.getByLabel('Поиск').fill(`ковалев ${tag}`);
      await form.getByLabel('Состояние').selectOption('');
      await form.getByRole('button', { name: 'Показать' }).click();
      await see(page, '[data-test=people-count]', /^1–\d+ из \d+$/);
      const names = await page.locator('[data-test=users] tbody tr [data-test=person-name]').allTextContents();
      assert.ok(names.length > 0 && names.every((n) => n.startsWith('Ковалёва')), names.join(', '));
      await journey.screenshot(page, 'people-searched');
      // A refused value says why, at its field.
      await page.goto(`${base}/admin/users?role=king`);
      await see(page, '[data-test=people-filter-refused]', 'Список не показан');
      await see(page, 'form[data-test=people-filter] .has-error', 'Такой роли нет');
    } finally {
      await User.collection.deleteMany({ _id: { $in: people.map((p) => p._id) } });
    }
  });

  it('shows a document’s latest history on its page and the whole history a page at a time, at desktop and phone width', async () => {
    const base = baseUrl();
    const secretary = await makeUser('secretariat', { name: 'Ольга Секретарь' });
    const { id } = await makeDocument({ by: secretary, title: 'Микросхемы интегральные. История' });
    const events = Array.from({ length: 130 }, (_, k) => ({ at: new Date(Date.UTC(2026, 6, 1, 9) + k * 3600_000), by: new mongoose.Types.ObjectId(secretary.id), byName: secretary.name, action: 'editDetails', from: null, to: null, revision: 1 }));
    await DocumentModel.updateOne({ _id: id }, { $push: { history: { $each: events } } });
    const page = await journey.newPage('secretariat');
    await journey.signIn(page, base, secretary.email, secretary.password);
    await page.goto(`${base}/documents/${id}`);
    await see(page, '[data-test=history-more]', 'Последние 10 из 131');
    assert.equal(await page.locator('[data-test=history] li').count(), 10);
    await journey.screenshot(page, 'document-latest-history');
    await page.locator('[data-test=history-all]').click();
    await see(page, 'h1', 'История документа');
    await see(page, '[data-test=history-count]', '1–50 из 131');
    await journey.screenshot(page, 'whole-history');
    await page.locator('[data-test=pager]').getByRole('link', { name: 'Дальше →' }).click();
    await see(page, '[data-test=history-count]', '51–100 из 131');
    await journey.screenshot(page, 'whole-history-page-2');
  });
});
