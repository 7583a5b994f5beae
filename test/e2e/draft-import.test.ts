// A legacy Word draft imported by the secretariat, in a browser: from the register to the preview (at
// desktop and phone width, checked by axe-core), the document's details, and the check of the new draft.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';

const draftPath = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/draft-import', name);

describe('a legacy draft imported from Word, in a browser', function () {
  this.timeout(180_000);
  const { journey, base: baseUrl } = journeyInProcess('draft-import', () => testApp());

  it('uploads a DOCX from the register, shows its structure and what is dropped, and creates the draft', async () => {
    const base = baseUrl();
    const secretary = await makeUser('secretariat', { name: 'Ольга Секретарь' });
    const s = await journey.newPage('secretariat');
    await journey.signIn(s, base, secretary.email, secretary.password);
    await s.goto(`${base}/documents`);
    await journey.screenshot(s, 'register');
    await s.locator('[data-test=import-draft]').click();
    await see(s, 'h1', 'Проект из файла Word');
    await journey.screenshot(s, 'draft-upload');
    await s.locator('form[data-test=draft-import-form] input[type=file]').setInputFiles(draftPath('typed.docx'));
    await s.locator('form[data-test=draft-import-form]').getByRole('button', { name: 'Прочитать файл' }).click();

    await see(s, 'h1', 'проверка структуры');
    await see(s, '[data-test=draft-import-lead]', 'typed.docx');
    assert.equal(await s.locator('[data-test=draft-clause]').count(), 23);
    await see(s, '[data-test=draft-structure]', 'Требования к материалам');
    await see(s, '[data-test=draft-dropped]', 'формула (Office Math)');
    await journey.screenshot(s, 'draft-preview');

    const form = s.locator('form[data-test=draft-import-confirm]');
    await form.getByLabel('Наименование (рус.)').fill('Изделия электронные. Общие технические требования');
    await form.locator('[name=titleEn]').fill('Electronic products. General technical requirements');
    await form.locator('[name=productGroup]').selectOption({ index: 1 });
    await form.locator('[name=ics]').fill('31.200');
    await form.locator('[name=developer]').fill('БелГИСС');
    await form.getByRole('button', { name: /Создать проект из 23 пунктов/ }).click();
    await see(s, '[data-test=quality-check]', 'Проверка');
    await journey.screenshot(s, 'draft-check');

    assert.deepEqual(journey.complaints, [], 'the browser reported problems');
    assert.deepEqual(journey.takeBarriers(), [], 'barriers on the pages');
  });
});
