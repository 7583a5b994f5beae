// Pages a person opens now and then, looked at in Chromium at desktop and phone width (axe-core, no
// sideways scrolling): the page a published PDF's QR code leads to, the administrator's invite panel, a
// manufacturer's account.
import assert from 'node:assert/strict';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
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
    await makeUser('member', { delegation: 'BY', name: 'Надежда Приглашённая-Длиннофамильная', invited: true });
    await makeUser('head', { delegation: 'RU', name: 'Сергей Петров' });
    const page = await journey.newPage('administrator');
    await journey.signIn(page, base, admin.email, admin.password);
    await page.goto(`${base}/admin/users`);
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
});
