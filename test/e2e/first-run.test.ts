import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { Journey, see } from '../helpers/browser.js';
import { testEnv } from '../helpers/env.js';
import { uniqueEmail } from '../helpers/factories.js';
import { startAccord, type AccordInstance } from '../helpers/server.js';
import { linkIn } from '../helpers/smtp.js';

describe('first run, in a browser', function () {
  this.timeout(180_000);

  let accord: AccordInstance | undefined;
  const journey = new Journey('first-run');
  const complaints = journey.complaints;
  const newPage = (who: string) => journey.newPage(who);
  const screenshot = (page: Page, step: string) => journey.screenshot(page, step);

  before(async function () {
    this.timeout(120_000);
    // An empty installation: its own engine and database, not the test run's shared one.
    accord = await startAccord({ database: 'accord_first_run', env: { SMTP_URL: testEnv().smtp.url, NODE_ENV: 'test', LOG_LEVEL: 'warn' } });
    await journey.start();
  });

  after(async function () {
    this.timeout(60_000);
    await journey.stop();
    await accord?.stop();
    if (complaints.length) console.log(`      browser console during the journey:\n${complaints.map((c) => `        ${c}`).join('\n')}`);
  });

  it('takes an empty installation from its first administrator to a member who works in English', async () => {
    const base = accord!.server.url;
    const admin = { name: 'Ольга Смирнова', email: uniqueEmail('admin'), password: 'Секретариат комитета 2026' };
    const member = { name: 'Ирина Ковалёва', email: uniqueEmail('member'), password: 'Пароль для комитета 2026' };

    // 1. The first visit to an empty installation offers to create the first administrator.
    const adminPage = await newPage('admin');
    await adminPage.goto(`${base}/`);
    assert.equal(new URL(adminPage.url()).pathname, '/setup');
    await see(adminPage, 'h1', 'Первый администратор');
    await see(adminPage, 'main p', 'В системе ещё нет пользователей');
    assert.equal(await adminPage.locator('html').getAttribute('lang'), 'ru');
    await screenshot(adminPage, 'first-run-page');

    await adminPage.getByLabel('Имя').fill(admin.name);
    await adminPage.getByLabel('Электронная почта').fill(admin.email);
    await adminPage.getByLabel('Пароль', { exact: true }).fill(admin.password);
    await adminPage.getByLabel('Повторите пароль').fill(admin.password);
    await screenshot(adminPage, 'first-run-filled');
    await adminPage.getByRole('button', { name: 'Создать администратора' }).click();

    // 2. It says the administrator exists and asks them to sign in.
    await see(adminPage, 'h1', 'Вход');
    await see(adminPage, '.notice', 'Администратор создан');
    await screenshot(adminPage, 'administrator-created');

    await adminPage.getByLabel('Электронная почта').fill(admin.email);
    await adminPage.getByLabel('Пароль').fill(admin.password);
    await adminPage.getByRole('button', { name: 'Войти' }).click();
    await see(adminPage, 'h2', `Здравствуйте, ${admin.name}`);
    await see(adminPage, '.panel p', 'Администратор');
    await screenshot(adminPage, 'administrator-home');

    // The set-up page is gone once someone exists.
    const setupAgain = await adminPage.request.get(`${base}/setup`);
    assert.equal(setupAgain.status(), 404);

    // 3. The administrator invites a delegation member (BY) from the users page.
    await adminPage.getByRole('navigation').getByRole('link', { name: 'Пользователи' }).click();
    await see(adminPage, 'h1', 'Пользователи');
    await see(adminPage, 'h2', 'Пригласить');
    await screenshot(adminPage, 'users-page');

    const invite = adminPage.locator('form[data-test=invite]');
    await invite.getByLabel('Электронная почта').fill(member.email);
    await invite.getByLabel('Имя').fill(member.name);
    await invite.getByLabel('Роль').selectOption({ label: 'Член делегации' });
    await invite.getByLabel('Делегация').selectOption('BY');
    await invite.getByRole('button', { name: 'Пригласить' }).click();
    await see(adminPage, '.notice', `Приглашение отправлено на ${member.email}`);
    const row = adminPage.locator('table[data-test=users] tr', { hasText: member.email });
    await see(adminPage, 'table[data-test=users] tr', member.name);
    assert.match(await row.innerText(), /Член делегации\s+BY\s+приглашён/);
    await screenshot(adminPage, 'member-invited');

    // 4. The invitation arrives by e-mail with a one-time link.
    const mail = await testEnv().smtp.waitFor(member.email, (m) => /Приглашение/.test(m.subject), 10_000);
    assert.match(mail.text, new RegExp(`Здравствуйте, ${member.name}`));
    const link = linkIn(mail, base);

    // 5. The member, in a browser of their own, follows the link and sets a password.
    const memberPage = await newPage('member');
    await memberPage.goto(link);
    await see(memberPage, 'h1', 'Приглашение в Accord');
    await see(memberPage, 'main p', `${member.name}, вас пригласили в Accord`);
    await screenshot(memberPage, 'invitation-link');

    await memberPage.getByLabel('Новый пароль').fill(member.password);
    await memberPage.getByLabel('Повторите пароль').fill(member.password);
    await memberPage.getByRole('button', { name: 'Сохранить пароль' }).click();
    await see(memberPage, '.notice', `Пароль сохранён. Теперь войдите с адресом ${member.email}`);
    await screenshot(memberPage, 'password-set');

    // 6. The member signs in.
    await memberPage.locator('main').getByRole('link', { name: 'Войти' }).click();
    await see(memberPage, 'h1', 'Вход');
    await memberPage.getByLabel('Электронная почта').fill(member.email);
    await memberPage.getByLabel('Пароль').fill(member.password);
    await memberPage.getByRole('button', { name: 'Войти' }).click();
    await see(memberPage, 'h2', `Здравствуйте, ${member.name}`);
    await see(memberPage, '.panel p', 'Член делегации · делегация BY');
    await see(memberPage, 'header', `${member.name} · BY`);
    // A member is offered none of the administrator's pages.
    const nav = memberPage.getByRole('navigation');
    for (const adminOnly of ['Пользователи', 'Делегации']) assert.equal(await nav.getByRole('link', { name: adminOnly }).count(), 0, `a member sees «${adminOnly}»`);
    await screenshot(memberPage, 'member-home');

    // 7. The member switches to English with the switch in the header; the choice is remembered.
    await memberPage.getByRole('link', { name: 'English' }).click();
    await see(memberPage, 'h2', `Welcome, ${member.name}`);
    await see(memberPage, 'h1', 'Product requirements agreed by two countries');
    await see(memberPage, '.panel p', 'Delegation member · delegation BY');
    await see(memberPage, 'header', 'Русский');
    assert.equal(await memberPage.locator('html').getAttribute('lang'), 'en');
    assert.equal(new URL(memberPage.url()).pathname, '/');
    await screenshot(memberPage, 'member-home-english');

    await memberPage.locator('main').getByRole('link', { name: 'Account' }).click();
    await see(memberPage, 'h1', 'Account');
    await see(memberPage, 'h2', 'Change password');
    assert.equal(await memberPage.locator('html').getAttribute('lang'), 'en');
    await screenshot(memberPage, 'account-english');

    // 8. The member signs out; the page says so in English, and their pages are closed to them.
    await memberPage.getByRole('button', { name: 'Sign out' }).click();
    await see(memberPage, 'main p', "Sign in to work with the committee's drafts.");
    await see(memberPage, 'header', 'Sign in');
    assert.equal(await memberPage.getByRole('button', { name: 'Sign out' }).count(), 0);
    await screenshot(memberPage, 'signed-out');

    await memberPage.goto(`${base}/account`);
    await see(memberPage, 'h1', 'Sign in');
    assert.equal(new URL(memberPage.url()).pathname, '/sign-in');
    await screenshot(memberPage, 'account-after-sign-out');

    // Pages and styles loaded without errors the browser would report (Accord has no favicon yet).
    const failures = complaints.filter((c) => !/\/favicon\.ico$/.test(c));
    assert.deepEqual(failures, [], 'the browser reported problems');
    // axe-core's serious and critical findings, and pages wider than a phone, on every page looked at.
    assert.deepEqual(journey.takeBarriers(), [], 'barriers on the pages');
  });
});
