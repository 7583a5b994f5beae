// The committee's daily work in Chromium: what waits for each person on their home page (with the time
// left), the comments beside the clauses of the text, and the weighty actions — cancelling a document,
// deleting a clause, withdrawing a standard, deactivating a person — each on a page of its own that says
// what will happen, done in a browser that runs no script; the proof PDF from the check page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { journeyInProcess, see } from '../helpers/browser.js';
import { testApp, transition } from '../helpers/app.js';
import { makeBallotDocument } from '../helpers/ballots.js';
import { uniqueTitle } from '../helpers/comments.js';
import { actorOf, makeCirculatedDocument, makeComment, makeDocument, makeUser } from '../helpers/factories.js';
import { makeApprovedDocument, makePublishedDocument } from '../helpers/publishing.js';

/** The lines of the «what needs you» panel. */
const needsOf = async (page: Page) => (await page.locator('[data-test=needs] li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

describe('the committee’s daily work, in a browser', function () {
  this.timeout(240_000);
  const { journey, base: baseUrl } = journeyInProcess('daily-work', () => testApp());

  it('starts each person’s home page with what waits for them, with the time left, and shows the comments beside the text', async () => {
    const base = baseUrl();
    const period = await makeCirculatedDocument({ title: uniqueTitle('Микросхемы. Отзывы открыты') });
    const comment = await makeComment(period.id, { delegation: 'BY', clauseKey: 'safety', text: 'Нет требований к защите от статического электричества.' });
    const ballot = await makeBallotDocument({ title: uniqueTitle('Станки. Голосование открыто') });
    const approved = await makeApprovedDocument({ title: uniqueTitle('Станки. Ждёт публикации') });
    await makeUser('member', { delegation: 'RU', name: 'Приглашённый Ещё-Не-Вошедший', invited: true });

    // A member: the open comment period, its deadline and the time left; the way to it.
    const m = await journey.newPage('member');
    await journey.signIn(m, base, comment.member.email, comment.member.password);
    await see(m, '[data-test=needs] h2', 'Что ждёт вас');
    const memberNeeds = await needsOf(m);
    assert.ok(memberNeeds.some((n) => n.includes('Микросхемы. Отзывы открыты') && /до \d\d\.\d\d\.\d{4} \d\d:\d\d \(UTC\+3\) · Осталось \d+/.test(n)), JSON.stringify(memberNeeds));
    await journey.screenshot(m, 'member-home');
    await m.locator('[data-test=needs] a', { hasText: 'Микросхемы. Отзывы открыты' }).click();
    await see(m, 'h1', 'Отзывы');
    await see(m, '[data-test=period]', 'Осталось');
    // The text: the delegation's comment counted beside its clause, and «comment on this clause» at each.
    await m.goto(`${base}/documents/${period.id}`);
    await see(m, '#clause-safety [data-test=clause-comments]', '1 замечание');
    assert.ok((await m.locator('[data-test=comment-on-clause]').count()) > 10, 'an action at every clause');
    await journey.screenshot(m, 'text-with-comments');
    await m.locator('#clause-safety [data-test=clause-comments]').click();
    await see(m, '[data-test=internal]', 'статического электричества');
    await see(m, '[data-test=clause-filter]', 'только к одному пункту');
    await journey.screenshot(m, 'clause-comments');

    // The head of that delegation: the comments awaiting release, the ballot awaiting the delegation's vote.
    const h = await journey.newPage('head');
    const head = await makeUser('head', { delegation: 'BY' });
    await journey.signIn(h, base, head.email, head.password);
    const headNeeds = await needsOf(h);
    assert.ok(headNeeds.some((n) => /1 замечание делегации ждёт направления: «Микросхемы\. Отзывы открыты/.test(n)), JSON.stringify(headNeeds));
    assert.ok(headNeeds.some((n) => /Голос делегации по «Станки\. Голосование открыто.*» ещё не подан.* · Осталось/.test(n)), JSON.stringify(headNeeds));
    await journey.screenshot(h, 'head-home');
    await h.locator('[data-test=needs] a', { hasText: 'Станки. Голосование открыто' }).click();
    await see(h, 'h1', 'Голосование');
    assert.equal(new URL(h.url()).pathname, `/documents/${ballot.id}/ballot`);
    await journey.screenshot(h, 'ballot');

    // The secretariat: the period closing, the approved document awaiting publication.
    const s = await journey.newPage('secretariat');
    await journey.signIn(s, base, approved.by.email, approved.by.password);
    const secretariatNeeds = await needsOf(s);
    assert.ok(secretariatNeeds.some((n) => /Сбор отзывов на «Микросхемы\. Отзывы открыты.*» закрывается.* · Осталось/.test(n)), JSON.stringify(secretariatNeeds));
    assert.ok(secretariatNeeds.some((n) => /«Станки\. Ждёт публикации.*» одобрен и ждёт публикации/.test(n)), JSON.stringify(secretariatNeeds));
    await journey.screenshot(s, 'secretariat-home');

    // The administrator: invitations not yet accepted.
    const a = await journey.newPage('administrator');
    const admin = await makeUser('administrator');
    await journey.signIn(a, base, admin.email, admin.password);
    const adminNeeds = await needsOf(a);
    assert.ok(adminNeeds.some((n) => /приглашени\S* ещё не принят/.test(n)), JSON.stringify(adminNeeds));
    await journey.screenshot(a, 'administrator-home');

    assert.deepEqual(journey.complaints, [], 'the browser reported problems');
  });

  it('asks on a page of its own before each weighty action, in a browser that runs no script', async () => {
    const base = baseUrl();
    const secretary = await makeUser('secretariat', { name: 'Ольга Осторожная' });
    const s = await journey.newPage('secretariat', { javaScript: false });
    await journey.signIn(s, base, secretary.email, secretary.password);

    // Cancelling a document: not beside circulation, a page that says what follows, a reason kept in the history.
    const circulated = await makeCirculatedDocument({ title: uniqueTitle('Микросхемы. Будет прекращён') });
    await s.goto(`${base}/documents/${circulated.id}`);
    await see(s, '[data-test=danger-zone] h2', 'Необратимые действия');
    await s.locator('[data-test=danger-zone] [data-test=transition-cancel]').click();
    await see(s, 'h1', 'Прекращение работы над документом');
    await journey.screenshot(s, 'cancel-confirmation');
    await s.locator('[data-test=cancel-confirm]').click();
    await see(s, 'form[data-test=cancel-form] .has-error', 'Укажите причину');
    await s.getByLabel('Причина прекращения работы').fill('Работа прекращена решением заседания комитета.');
    await s.locator('[data-test=cancel-confirm]').click();
    await see(s, '[data-test=state]', 'Работа прекращена');
    await see(s, 'ol.history', 'Работа прекращена решением заседания комитета.');
    await journey.screenshot(s, 'cancelled');

    // Deleting a clause: the page names it and what goes with it; the clause is gone after.
    const draft = await makeDocument({ by: secretary, title: uniqueTitle('Микросхемы. Правка текста') });
    await s.goto(`${base}/documents/${draft.id}/edit`);
    await journey.screenshot(s, 'editor');
    const row = s.locator('li.clause-row', { hasText: 'Требования надёжности' }).first();
    await row.locator('[data-test=delete-clause]').click();
    await see(s, 'h1', 'Удаление пункта');
    await see(s, 'main', 'Требования надёжности');
    await journey.screenshot(s, 'delete-clause-confirmation');
    await s.locator('[data-test=delete-confirm]').click();
    await see(s, 'h1', 'Редактирование текста');
    assert.equal(await s.locator('li.clause-row', { hasText: 'Требования надёжности' }).count(), 0);

    // The proof PDF from the check page: exactly what circulation would freeze.
    await s.goto(`${base}/documents/${draft.id}/check`);
    await see(s, 'h1', 'Проверка перед следующим шагом');
    await journey.screenshot(s, 'check-page');
    const [proof] = await Promise.all([s.waitForEvent('download'), s.locator('[data-test=proof-pdf]').click()]);
    assert.equal((await readFile((await proof.path())!)).subarray(0, 5).toString(), '%PDF-');

    // Withdrawing a published standard: a date and a reason on a page of its own.
    const published = await makePublishedDocument({ by: secretary, title: uniqueTitle('Станки. Будет отменён') });
    await s.goto(`${base}/documents/${published.id}`);
    await s.locator('[data-test=danger-zone] [data-test=transition-withdraw]').click();
    await see(s, 'h1', 'Отмена стандарта');
    await see(s, 'main li', 'Его PDF остаётся в каталоге');
    await see(s, 'main a', 'Не отменять');
    await journey.screenshot(s, 'withdraw-confirmation');
    await s.getByLabel('Дата отмены').fill(await s.getByLabel('Дата отмены').getAttribute('min') ?? '');
    await s.getByLabel('Основание отмены').fill('Заменён межгосударственным стандартом.');
    await s.locator('[data-test=withdraw]').click();
    await see(s, '[data-test=publication]', 'Отменён');
    await journey.screenshot(s, 'withdrawn');

    // Deactivating a person: the page says what it ends.
    const admin = await makeUser('administrator');
    const person = await makeUser('member', { delegation: 'RU', name: 'Сергей Уходящий' });
    const a = await journey.newPage('administrator', { javaScript: false });
    await journey.signIn(a, base, admin.email, admin.password);
    // The list is paged: the administrator finds the person by the address.
    await a.goto(`${base}/admin/users?q=${encodeURIComponent(person.email)}`);
    await journey.screenshot(a, 'users');
    await a.locator('table[data-test=users] tr', { hasText: person.email }).locator('[data-test=deactivate]').click();
    await see(a, 'h1', 'Отключение учётной записи');
    await see(a, 'main', 'Сергей Уходящий');
    await journey.screenshot(a, 'deactivate-confirmation');
    await a.locator('[data-test=deactivate-confirm]').click();
    await see(a, 'table[data-test=users] tr', 'Сергей Уходящий');
    assert.match(await a.locator('table[data-test=users] tr', { hasText: person.email }).innerText(), /отключён/);

    assert.deepEqual(journey.complaints.filter((c) => !/ 422 POST .*\/cancel$/.test(c)), [], 'the browser reported problems');
  });
});
