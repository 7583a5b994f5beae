import assert from 'node:assert/strict';
import { journeyInProcess, see } from '../helpers/browser.js';
import { drainNotices, testApp, transition } from '../helpers/app.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { releaseAs, storedComment, writeComment } from '../helpers/comments.js';
import { makeCirculatedDocument } from '../helpers/factories.js';
import { testEnv } from '../helpers/env.js';
import { setDisposition } from '../../server/comments/index.js';

describe('a committee meeting, in a browser', function () {
  this.timeout(180_000);
  const { journey, base: baseUrl } = journeyInProcess('meeting', () => testApp());

  it('takes a comment «вынесено на обсуждение» to its decision at a meeting and into the next revision, and a member reads the minutes', async () => {
    const base = baseUrl();
    const secretary = await makeUser('secretariat', { name: 'Ольга Секретарёва' });
    const member = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const volkov = await makeUser('member', { delegation: 'RU', name: 'Сергей Волков' });
    const { id } = await makeCirculatedDocument({ title: 'Станки лазерные. Общие технические требования' });
    const comment = await writeComment(id, member, { clauseKey: 'scope', text: 'Распространить стандарт на станки лазерной резки с ЧПУ мощностью свыше 6 кВт.', proposedChange: 'Заменить «вида (далее — изделия)» на «вида, в том числе станки лазерной резки с ЧПУ мощностью свыше 6 кВт (далее — изделия)»' });
    await releaseAs(id, 'BY');
    await transition(actorOf(secretary), id, 'closeComments', { now: new Date() });
    await setDisposition(actorOf(secretary), String(comment._id), { decision: 'referred' }, new Date());

    const s = await journey.newPage('secretariat');
    await journey.signIn(s, base, secretary.email, secretary.password);
    await s.locator('.main-nav').getByRole('link', { name: 'Заседания' }).click();
    await see(s, 'h1', 'Заседания комитета');
    await journey.screenshot(s, 'meetings');
    await s.getByRole('link', { name: 'Назначить заседание' }).first().click();
    const f = s.locator('form[data-test=meeting-form]');
    await f.getByLabel('Название').fill('Заседание ТК 7');
    await f.getByLabel('Дата').fill('2026-12-15');
    await f.getByLabel('Время (UTC+3)').fill('10:00');
    await f.getByLabel('Место').fill('Минск, ул. Мележа, 3, ауд. 410');
    await f.getByLabel('Ссылка на видеоконференцию').fill('https://meet.example/tk7-2026-12-15');
    // By the account, not the name: the suite's shared database holds other people of the same names.
    for (const who of [member, volkov, secretary]) await f.locator(`input[name=participants][value="${who.id}"]`).check();
    await f.getByLabel('Приглашённые без учётной записи').fill('Иванов И. И., БелГИСС');
    await journey.screenshot(s, 'schedule');
    await f.getByRole('button', { name: 'Назначить заседание' }).click();
    await see(s, '.notice', 'Заседание назначено');
    await s.locator(`[data-test=candidates] li:has(a[href$="${comment._id}"])`, { hasText: '1 Область применения' }).getByRole('button', { name: 'Добавить' }).click();
    await see(s, '[data-test=item]', 'Станки лазерные');
    await s.locator('form[data-test=send] button').click();
    await see(s, '[data-test=sent]', 'Повестка разослана');
    await drainNotices();
    const mail = await testEnv().smtp.waitFor(member.email, (m) => !!m.calendar);
    assert.match(mail.calendar!, /METHOD:REQUEST/);

    const item = s.locator('[data-test=item]', { hasText: 'Станки лазерные' });
    await item.locator('summary').click();
    await item.getByLabel('Принято частично').check();
    await item.getByRole('button', { name: 'Сохранить решение' }).click();
    await see(s, '.alert', 'Обоснование');
    // Refused, the page comes back with this item's form open and the choice kept.
    assert.equal(await item.locator('details').getAttribute('open'), '');
    await item.getByLabel('Принято частично').check();
    await item.getByLabel(/Обоснование/).fill('Станки с ЧПУ свыше 6 кВт — в пределах области применения; режимы резки — предмет отдельного стандарта.');
    await item.getByRole('button', { name: 'Сохранить решение' }).click();
    await see(s, '[data-test=decision]', 'Принято частично');
    await s.locator('form[data-test=make-minutes] button').click();
    await see(s, '.notice', 'Протокол составлен');
    await journey.screenshot(s, 'meeting-page');

    const c = await storedComment(String(comment._id));
    assert.equal(c.disposition!.decision, 'partially');

    // The decision taken, the secretariat applies the proposed change to the next revision (docs/applying-changes.md).
    await s.goto(`${base}/documents/${id}/comments/${comment._id}`);
    await s.getByRole('link', { name: 'Учесть в следующей редакции' }).click();
    await see(s, '[data-test=opening]', 'откроется редакция 2');
    const form = s.locator('form[data-test=apply-form]');
    const body = form.locator('textarea[name=body]');
    assert.match(await body.inputValue(), /в том числе станки лазерной резки с ЧПУ мощностью свыше 6 кВт \(далее — изделия\)/);
    await journey.screenshot(s, 'apply-suggestion');
    await body.fill((await body.inputValue()).replace('в том числе станки лазерной резки', 'включая станки лазерной резки'));
    await form.getByRole('button', { name: 'Подтвердить изменение' }).click();
    await see(s, '[data-test=applied-notice]', 'Изменение внесено в редакцию 2');
    await journey.screenshot(s, 'comment-applied');
    await see(s, '[data-test=applied] a', 'Учтено в редакции 2, пункт 1');
    await s.locator('[data-test=applied] a').click();
    const row = s.locator('#clause-scope');
    await see(s, '#clause-scope [data-test=applied-comments]', String(c.number));
    assert.match(await row.locator('ins').first().innerText(), /включая станки лазерной резки/);
    // Only the words changed: the rest of the clause, its paragraphs included, is as it was.
    assert.equal(await row.locator('ins').count(), 1);
    await journey.screenshot(s, 'redline-applied');
    await row.locator('[data-test=applied-comments] a').click();
    await see(s, 'h1', String(c.number));
    const applied = await storedComment(String(comment._id));
    assert.equal(applied.disposition!.appliedInRevision, 2);
    assert.equal(applied.disposition!.appliedClauseKey, 'scope');

    const m = await journey.newPage('member');
    await journey.signIn(m, base, member.email, member.password);
    await m.goto(`${base}/documents/${id}/comments/${comment._id}`);
    await see(m, '[data-test=decided-at-meeting]', 'Решено на заседании 15.12.2026');
    await journey.screenshot(m, 'comment-decided');
    await m.getByRole('link', { name: 'Решено на заседании 15.12.2026' }).click();
    await see(m, '[data-test=minutes]', 'Протокол (PDF)');
    await journey.screenshot(m, 'member-meeting-page');
    assert.deepEqual(journey.complaints.filter((x) => !/ 4\d\d POST /.test(x) && !/ 422 /.test(x)), []);
  });
});
