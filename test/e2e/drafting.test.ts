import assert from 'node:assert/strict';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';

describe('drafting, in a browser', function () {
  this.timeout(180_000);
  const { journey, base: baseUrl } = journeyInProcess('drafting', () => testApp());

  it('builds a document from a template, circulates it, edits revision 2 and compares the two', async () => {
    const base = baseUrl();
    const secretary = await makeUser('secretariat', { name: 'Ольга Секретарёва' });
    const page = await journey.newPage('secretariat');
    await journey.signIn(page, base, secretary.email, secretary.password);

    // A new draft from the template of general technical requirements.
    await page.getByRole('navigation').getByRole('link', { name: 'Документы' }).click();
    await see(page, 'h1', 'Документы');
    await journey.screenshot(page, 'documents');
    await page.getByRole('link', { name: 'Новый проект' }).click();
    await page.getByLabel(/Общие технические требования/).check();
    await page.getByLabel('Наименование (рус.)').fill('Микросхемы интегральные. Общие технические требования');
    await page.getByLabel('Наименование (англ.)').fill('Integrated circuits. General technical requirements');
    await page.getByLabel('Группа продукции').selectOption('integrated-circuits');
    await page.getByLabel('ОКС').fill('31.200');
    await page.getByLabel('Разработчик').fill('ОАО «ИНТЕГРАЛ»');
    await journey.screenshot(page, 'new-draft');
    await page.getByRole('button', { name: 'Создать проект' }).click();
    await see(page, 'h1', 'Микросхемы интегральные');
    await see(page, '[data-test=state]', 'Проект');
    await see(page, '[data-test=text]', '1 Область применения');
    await journey.screenshot(page, 'draft-created');

    // Edit the text: the scope clause gets real words.
    await page.getByRole('link', { name: 'Редактировать текст' }).click();
    await see(page, 'h1', 'Редактирование текста');
    await page.locator('#clause-scope').getByRole('link', { name: 'Изменить' }).click();
    await page.getByLabel('Текст').fill('Настоящий стандарт распространяется на полупроводниковые интегральные микросхемы общего назначения и устанавливает требования к ним.');
    await journey.screenshot(page, 'clause-form');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await see(page, 'h1', 'Редактирование текста');

    // Add a requirement inside section 4 (its first subsection), then move it up.
    const section4 = page.locator('li.clause-row', { hasText: 'Технические требования' }).first();
    await section4.getByRole('link', { name: 'Добавить внутрь' }).click();
    await journey.screenshot(page, 'new-clause');
    await page.locator('[data-test=kind-switch]').getByRole('button', { name: 'Требование' }).click();
    await page.getByLabel('Параметр', { exact: true }).fill('Напряжение питания');
    await page.getByLabel('Не менее', { exact: true }).fill('4,5');
    await page.getByLabel('Не более', { exact: true }).fill('5,5');
    await page.getByLabel('Единица', { exact: true }).fill('В');
    await journey.screenshot(page, 'new-requirement');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await see(page, 'li.clause-row', 'Напряжение питания');
    const requirementRow = page.locator('li.clause-row', { hasText: 'Напряжение питания' });
    assert.match(await requirementRow.locator('.num').innerText(), /^4\.1$/);
    await requirementRow.getByRole('button', { name: 'Ниже' }).click();
    await see(page, 'li.clause-row', 'Напряжение питания');
    assert.match(await page.locator('li.clause-row', { hasText: 'Напряжение питания' }).locator('.num').innerText(), /^4\.2$/);
    await journey.screenshot(page, 'editor');

    // Circulate: revision 1 is frozen.
    await page.getByRole('link', { name: /← Микросхемы/ }).click();
    await see(page, 'h1', 'Микросхемы интегральные');
    // The check lists what the template left blank, with links to the clauses, and the proof PDF.
    await see(page, '[data-test=check-summary]', 'предупрежден');
    await page.locator('[data-test=check-summary] a').click();
    await see(page, 'h1', 'Проверка перед следующим шагом');
    await see(page, '[data-test=quality-check]', '3 Термины и определения — не заполнено место из шаблона: «ГОСТ …»');
    await see(page, '[data-test=quality-check]', 'у требования не указан метод контроля');
    await journey.screenshot(page, 'quality-check');
    await page.goBack();
    // Refused until the warnings are accepted; then revision 1 goes out and is frozen.
    await page.locator('[data-test=transition-circulate]').click();
    await see(page, '[data-test=blockers]', 'Проверка:');
    assert.match(page.url(), /\/documents\/[0-9a-f]{24}$/);
    await journey.screenshot(page, 'circulation-refused');
    await page.locator('[data-test=accept-warnings] input').check();
    await page.locator('[data-test=transition-circulate]').click();
    await see(page, '[data-test=state]', 'Отзывы');
    await see(page, 'ol.history', 'разослан на отзывы');
    await journey.screenshot(page, 'circulated');

    // Back to drafting, and editing starts revision 2.
    await page.locator('[data-test=transition-closeComments]').click();
    await see(page, '[data-test=state]', 'Рассмотрение отзывов');
    await page.locator('[data-test=transition-newRound]').click();
    await see(page, '[data-test=state]', 'Проект');
    await page.getByRole('link', { name: 'Редактировать текст' }).click();
    await see(page, '.notice', 'Редакция 1 разослана');
    await page.locator('[data-test=start-revision]').click();
    await see(page, 'h1', 'редакция 2');
    await page.locator('#clause-scope').getByRole('link', { name: 'Изменить' }).click();
    await page.getByLabel('Текст').fill('Настоящий стандарт распространяется на полупроводниковые интегральные микросхемы общего и специального назначения и устанавливает требования к ним.');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await see(page, 'h1', 'редакция 2');

    // The redline between revisions 1 and 2.
    await page.getByRole('link', { name: /← Микросхемы/ }).click();
    await page.locator('[data-test=compare]').click();
    await see(page, 'h1', 'Сравнение редакций 1 и 2');
    await see(page, '[data-test=redline] ins', 'и специального');
    await journey.screenshot(page, 'redline');

    assert.deepEqual(journey.complaints, [], 'the browser reported problems');
  });
});
