import assert from 'node:assert/strict';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';

describe('signing out, in a browser', function () {
  this.timeout(120_000);
  const { journey, base: baseUrl } = journeyInProcess('sign-out', () => testApp());

  it('Back after signing out shows no signed-in page from the cache', async () => {
    const base = baseUrl();
    const secretary = await makeUser('secretariat', { name: 'Ольга Выходящая' });
    const page = await journey.newPage('secretariat');
    await journey.signIn(page, base, secretary.email, secretary.password);
    await page.goto(`${base}/account`);
    await see(page, 'h1', 'Учётная запись');
    await see(page, 'header', 'Ольга Выходящая');
    await journey.screenshot(page, 'account');
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.waitForURL((u) => u.pathname === '/' || u.pathname === '/sign-in');
    await page.goBack();
    await page.waitForLoadState('load');
    // Whatever Back brings up, it is not the account page of the person who signed out.
    assert.ok(!(await page.content()).includes('Ольга Выходящая'), `Back showed ${page.url()} with the signed-out person's name`);
    assert.equal(await page.getByRole('button', { name: 'Выйти' }).count(), 0, 'Back shows a page with «Выйти»');
  });
});
