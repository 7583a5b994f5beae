import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { makeBallotDocument } from '../helpers/ballots.js';

describe('from ballot to a verified download, in a browser', function () {
  this.timeout(240_000);
  const { journey, base: baseUrl } = journeyInProcess('publication', () => testApp());

  it('lets the heads approve, the secretariat publish, and a visitor find, download and verify the standard', async () => {
    const base = baseUrl();
    const title = `Станки лазерные для резки металла ${Date.now()}. Технические условия`;
    const ballot = await makeBallotDocument({ title, rule: 'unanimity' });

    // Each head casts the delegation's vote on the ballot page.
    for (const code of ['BY', 'RU'] as const) {
      const head = ballot.heads[code];
      const page = await journey.newPage(`head ${code}`);
      await journey.signIn(page, base, head.email, head.password);
      await page.goto(`${base}/documents/${ballot.id}/ballot`);
      await page.locator('form[data-test=vote-form]').getByLabel('За', { exact: true }).check();
      await page.locator('[data-test=cast-vote]').click();
      await see(page, '[data-test=voted]', /.+/);
      await journey.screenshot(page, `vote-${code}`);
    }

    // Both voted: the ballot is closed and the document approved.
    const s = await journey.newPage('secretariat');
    await journey.signIn(s, base, ballot.secretariat.email, ballot.secretariat.password);
    await s.goto(`${base}/documents/${ballot.id}`);
    await see(s, '[data-test=state]', 'Принят');
    await s.goto(`${base}/documents/${ballot.id}/ballot`);
    await journey.screenshot(s, 'ballot-result');

    // The secretariat publishes it with the dates of entry into force.
    await s.goto(`${base}/documents/${ballot.id}/publish`);
    await journey.screenshot(s, 'publish-form');
    await s.locator('[data-test=publish]').click();
    await see(s, '[data-test=state]', 'Опубликован');
    const designation = (await s.locator('.doc-head .designation').innerText()).trim();
    assert.match(designation, /^СТ СГ \d+-\d{4}$/);
    await journey.screenshot(s, 'published');

    // An anonymous visitor finds it in the catalogue by a word of its title.
    const v = await journey.newPage('visitor');
    await v.goto(`${base}/catalogue`);
    await v.locator('form[data-test=search] input[name=q]').fill('лазерный');
    await v.locator('form[data-test=search] button[type=submit]').click();
    await see(v, '[data-test=results]', designation);
    await journey.screenshot(v, 'catalogue-search');
    await v.locator('[data-test=result]', { hasText: designation }).getByRole('link').first().click();
    await see(v, '[data-test=designation]', designation);
    await journey.screenshot(v, 'standard-page');

    // …downloads the PDF…
    const [download] = await Promise.all([v.waitForEvent('download'), v.locator('[data-test=pdf]').click()]);
    const bytes = await readFile((await download.path())!);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');

    // …and verifies it by uploading it.
    await v.goto(`${base}/verify`);
    await v.locator('form[data-test=upload-form] input[type=file]').setInputFiles({ name: 'standard.pdf', mimeType: 'application/pdf', buffer: bytes });
    await v.locator('form[data-test=upload-form] button[type=submit]').click();
    await see(v, '[data-test=authentic]', designation);
    await journey.screenshot(v, 'verified');

    assert.deepEqual(journey.complaints, [], 'the browser reported problems');
  });
});
