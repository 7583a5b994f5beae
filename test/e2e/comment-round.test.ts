import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp } from '../helpers/app.js';
import { makeCirculatedDocument, makeUser } from '../helpers/factories.js';

describe('a comment round, in a browser', function () {
  this.timeout(180_000);
  const { journey, base: baseUrl } = journeyInProcess('comment-round', () => testApp());

  it('takes a member’s comment through release and disposition into the summary and its export', async () => {
    const base = baseUrl();
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы интегральные. Общие технические требования' });
    const member = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const head = await makeUser('head', { delegation: 'BY', name: 'Андрей Лукашевич' });
    const secretary = await makeUser('secretariat', { name: 'Ольга Секретарёва' });

    // The member writes a comment on the scope clause.
    const m = await journey.newPage('member');
    await journey.signIn(m, base, member.email, member.password);
    await m.goto(`${base}/documents/${id}`);
    await see(m, '#clause-scope [data-test=comment-on-clause]', 'Замечание к этому пункту');
    await journey.screenshot(m, 'document-page');
    // From the text: "comment on this clause" at the scope opens the form with the clause chosen and shown.
    await m.locator('#clause-scope [data-test=comment-on-clause]').click();
    await see(m, 'h1', 'Отзывы');
    await see(m, '[data-test=period]', 'Осталось');
    await see(m, '[data-test=chosen-clause]', 'Область применения');
    const form = m.locator('form[data-test=new-comment]');
    assert.equal(await form.getByLabel('Пункт').inputValue(), 'scope');
    // Saved empty, the comment is refused; the browser is back on the page's own address, and a reload sends nothing.
    await form.getByLabel('Предлагаемое изменение').fill('Дополнить: «…групп исполнения 1–4 по ГОСТ 20.57.406».');
    await form.getByRole('button', { name: 'Сохранить замечание' }).click();
    await see(m, 'form[data-test=new-comment] .has-error', 'Заполните');
    assert.match(m.url(), new RegExp(`/documents/${id}/comments\\?clause=scope&write=1`));
    assert.equal(await form.getByLabel('Предлагаемое изменение').inputValue(), 'Дополнить: «…групп исполнения 1–4 по ГОСТ 20.57.406».');
    await journey.screenshot(m, 'member-refused');
    const posts: string[] = [];
    m.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    await m.reload();
    assert.deepEqual(posts, []);
    await journey.screenshot(m, 'member-refused-then-reloaded');
    await form.getByLabel('Вид').selectOption('te');
    await form.getByLabel('Замечание', { exact: true }).fill('Не указаны классы исполнения микросхем по стойкости к внешним воздействиям.');
    await form.getByLabel('Предлагаемое изменение').fill('Дополнить: «…групп исполнения 1–4 по ГОСТ 20.57.406».');
    await journey.screenshot(m, 'member-writes');
    await form.getByRole('button', { name: 'Сохранить замечание' }).click();
    await see(m, '[data-test=internal]', 'Не указаны классы исполнения');
    await journey.screenshot(m, 'member-comment-saved');

    // The head releases the national position: the comment gets its number.
    const h = await journey.newPage('head');
    await journey.signIn(h, base, head.email, head.password);
    await h.goto(`${base}/documents/${id}/comments`);
    await see(h, '[data-test=internal]', 'Не указаны классы исполнения');
    await h.locator('[data-test=release]').click();
    await see(h, 'h1', 'Направление национальной позиции');
    await see(h, 'main', 'получат номера BY-001');
    await journey.screenshot(h, 'release-confirmation');
    await h.locator('[data-test=release-confirm]').click();
    await see(h, '.notice', 'Национальная позиция направлена');
    await see(h, '[data-test=summary-table]', 'BY-001');
    await journey.screenshot(h, 'position-released');

    // The secretariat closes the comments and disposes of it.
    const s = await journey.newPage('secretariat');
    await journey.signIn(s, base, secretary.email, secretary.password);
    await s.goto(`${base}/documents/${id}`);
    await s.locator('[data-test=transition-closeComments]').click();
    await see(s, '[data-test=state]', 'Рассмотрение отзывов');
    await s.goto(`${base}/documents/${id}/comments`);
    await s.getByRole('link', { name: 'BY-001' }).click();
    const disposition = s.locator('form[data-test=disposition]');
    await disposition.getByLabel('Принято частично').check();
    await disposition.getByRole('button', { name: 'Сохранить' }).click();
    await see(s, '.alert', 'укажите обоснование');
    await disposition.getByLabel('Принято частично').check();
    await disposition.getByLabel(/Обоснование/).fill('Группы исполнения указываются в технических условиях на изделия конкретных типов.');
    await journey.screenshot(s, 'disposition');
    await disposition.getByRole('button', { name: 'Сохранить' }).click();

    // The summary shows it, and the export downloads.
    await see(s, '[data-test=summary-table]', 'Принято частично');
    await journey.screenshot(s, 'summary');
    const [download] = await Promise.all([s.waitForEvent('download'), s.locator('[data-test=export-xlsx]').click()]);
    const file = await download.path();
    const bytes = await readFile(file!);
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX file (a zip) was downloaded');
    assert.match(download.suggestedFilename(), /\.xlsx$/);

    // The one refusal the journey asked for (a partial acceptance without its reason) is not a problem.
    assert.deepEqual(journey.complaints.filter((c) => !/ 422 POST .*\/disposition$/.test(c)), [], 'the browser reported problems');
  });
});
