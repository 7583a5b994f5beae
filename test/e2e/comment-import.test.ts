import assert from 'node:assert/strict';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { fixturePath } from '../helpers/comment-import.js';
import { makeCirculatedDocument, makeUser } from '../helpers/factories.js';

describe('a file of comments imported, in a browser', function () {
  this.timeout(180_000);
  const { journey, base: baseUrl } = journeyInProcess('comment-import', () => testApp());

  it('uploads the ISO template from the comments page, confirms the preview, and the head sees the flagged row', async () => {
    const base = baseUrl();
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы интегральные. Общие технические требования' });
    const member = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const head = await makeUser('head', { delegation: 'BY', name: 'Андрей Лукашевич' });

    const m = await journey.newPage('member');
    await journey.signIn(m, base, member.email, member.password);
    await m.goto(`${base}/documents/${id}/comments`);
    await m.locator('details#import summary').click();
    await m.locator('form[data-test=import-form] input[type=file]').setInputFiles(fixturePath('iso-2012-03-en.docx'));
    await m.locator('form[data-test=import-form]').getByRole('button', { name: 'Прочитать файл' }).click();

    // The preview: every row with its clause, the unknown one said so; nothing stored yet.
    await see(m, 'h1', 'Загрузка замечаний из файла');
    await see(m, '[data-test=import-lead]', 'iso-2012-03-en.docx');
    assert.equal(await m.locator('[data-test=import-row]').count(), 6);
    await see(m, '[data-test=import-rows]', '4.2.1');
    await see(m, '[data-test=unknown-clause]', '9.9');
    await journey.screenshot(m, 'import-preview');
    await m.locator('form[data-test=import-confirm]').getByRole('button', { name: 'Сохранить 6 замечаний' }).click();
    await see(m, '[data-test=imported]', 'Из файла добавлено 6 замечаний');
    await see(m, '[data-test=internal]', 'Беларуская назва');
    await journey.screenshot(m, 'import-confirmed');

    const h = await journey.newPage('head');
    await journey.signIn(h, base, head.email, head.password);
    await h.goto(`${base}/documents/${id}/comments`);
    await see(h, '[data-test=unmatched-clause]', '«9.9» не найден');
    await journey.screenshot(h, 'import-flag-for-head');

    assert.deepEqual(journey.complaints, [], 'the browser reported problems');
  });
});
