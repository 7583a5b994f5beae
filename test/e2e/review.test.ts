// The systematic review in a browser (docs/review.md): the secretariat opens it from the standard's page, a head
// answers, the other delegation disagrees, the secretariat decides on the act's own page and the act is there.
import assert from 'node:assert/strict';
import { journeyInProcess, see } from '../helpers/browser.js';
import { newTestSystem, testApp } from '../helpers/app.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { makePublishedDocument } from '../helpers/publishing.js';
import { afterReviewDate } from '../helpers/review.js';
import { answerReview } from '../../server/review/service.js';
import { ManualClock } from '../../server/time/clock.js';

describe('a systematic review, in a browser', function () {
  this.timeout(180_000);
  const clock = new ManualClock(afterReviewDate());
  const { journey, base: baseUrl } = journeyInProcess('review', () => testApp({}, newTestSystem({ clock })));

  it('opens the review, takes the answers, and draws up the act of a disagreement', async () => {
    const base = baseUrl();
    const secretary = await makeUser('secretariat', { name: 'Ольга Секретарёва' });
    const headBy = await makeUser('head', { delegation: 'BY', name: 'Андрей Гончаров' });
    const headRu = await makeUser('head', { delegation: 'RU', name: 'Мария Орлова' });
    const { id } = await makePublishedDocument({ title: 'Станки лазерные. Систематическая проверка' });

    const s = await journey.newPage('secretariat');
    await journey.signIn(s, base, secretary.email, secretary.password);
    await s.goto(`${base}/documents/${id}`);
    await see(s, '[data-test=review-date]', 'срок проверки наступил');
    await journey.screenshot(s, 'document-page');
    await s.locator('[data-test=review-link]').click();
    await see(s, 'h1', 'Систематическая проверка стандарта');
    await journey.screenshot(s, 'review-due');
    await s.locator('[data-test=review-open-button]').click();
    await see(s, '[data-test=review-saved]', 'Проверка начата');

    const h = await journey.newPage('head BY');
    await journey.signIn(h, base, headBy.email, headBy.password);
    await h.goto(`${base}/documents/${id}/review`);
    await h.getByLabel('подтвердить').check();
    await h.getByLabel(/Обоснование/).fill('Стандарт применяется предприятиями без замечаний; методы испытаний актуальны.');
    await h.locator('[data-test=review-answer]').click();
    await see(h, '[data-test=review-saved]', 'Ответ делегации записан');
    await journey.screenshot(h, 'head-answered');

    await answerReview(actorOf(headRu), id, { answer: 'revise', reason: 'Требования к защите от лазерного излучения устарели.' }, clock.now());
    await s.goto(`${base}/documents/${id}/review`);
    await see(s, '[data-test=review-result]', 'разногласие');
    await s.locator('[data-test=review-act-link]').click();
    await see(s, '[data-test=act-disagreement]', 'разногласие');
    await s.getByLabel('стандарт подлежит пересмотру').check();
    await s.getByLabel(/Основание решения/).fill('Довод RU о защите от излучения весом: стандарт пересматривается.');
    await journey.screenshot(s, 'act-form');
    await s.locator('[data-test=review-act-submit]').click();
    await see(s, '[data-test=review-saved]', 'Акт проверки оформлен');
    await see(s, '[data-test=review-outcome]', 'стандарт подлежит пересмотру');
    await journey.screenshot(s, 'review-done');
    await s.locator('[data-test=review-successor]').click();
    await see(s, '[data-test=state]', 'Проект');
    await journey.screenshot(s, 'successor-draft');
    assert.deepEqual(journey.complaints.filter((x) => !/ 4\d\d POST /.test(x)), []);
  });
});
