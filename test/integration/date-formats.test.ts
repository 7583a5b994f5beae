// One way of writing dates across the interface (server/time/format.ts, docs/time.md): a walk over the
// pages a committee's people and visitors read, in both languages, finds no day written another way —
// no 2026-12-02, no 2.12.2026, no «2 дек. 2026 г.» on a Russian page, no 02.12.2026 or «Dec 2» on an English one.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { anonymousAgent, signIn, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeBallotDocument } from '../helpers/ballots.js';
import { makeCirculatedDocument, makeComment, makeUser } from '../helpers/factories.js';
import { makePublishedDocument } from '../helpers/publishing.js';

/** What a person reads on a page: its text, without scripts, styles and the values of form fields. */
function visibleText(html: string): string {
  const $ = cheerio.load(html);
  $('script, style, template').remove();
  return $('body').text().replace(/\s+/g, ' ');
}

const OTHER_WAYS: Record<'ru' | 'en', [string, RegExp][]> = {
  ru: [
    ['ISO', /\b\d{4}-\d{2}-\d{2}\b/],
    ['a day or month without its zero', /(?<![\d.])(\d\.\d{1,2}|\d{1,2}\.\d)\.\d{4}\b/],
    ['a month as a word', /\b\d{1,2}\s(янв|фев|мар|апр|ма[яй]|июн|июл|авг|сен|окт|ноя|дек)[а-я]*\.?\s\d{4}/i],
    ['«г.» after the year', /\d{4}\s?г\./],
  ],
  en: [
    ['ISO', /\b\d{4}-\d{2}-\d{2}\b/],
    ['the Russian way', /\b\d{1,2}\.\d{1,2}\.\d{4}\b/],
    ['a short month', /\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s\d/],
  ],
};

describe('dates on the pages', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('are written one way in each language on every page a person reads', async function () {
    // Four documents made and 26 pages read in each language: more than mocha's default limit on a busy machine.
    this.timeout(90_000);
    const round = await makeCirculatedDocument();
    const comment = await makeComment(round.id, { delegation: 'BY', release: true });
    const ballot = await makeBallotDocument();
    const published = await makePublishedDocument();
    const secretary = await makeUser('secretariat');
    const pages = {
      secretariat: ['/', `/documents/${round.id}`, `/documents/${round.id}/comments`, `/documents/${round.id}/comments/${comment.id}`, `/documents/${ballot.id}`, `/documents/${ballot.id}/ballot`, `/documents/${published.id}`, '/documents', '/plan', '/account'],
      visitor: ['/catalogue', `/catalogue/${published.id}`, `/verify/${published.id}`],
    };
    const found: string[] = [];
    for (const locale of ['ru', 'en'] as const) {
      const people: Record<keyof typeof pages, Agent> = { secretariat: (await signIn(app, secretary)).agent, visitor: (await anonymousAgent(app)).agent };
      for (const [who, agent] of Object.entries(people) as [keyof typeof pages, Agent][]) {
        await agent.get(`/locale/${locale}`).expect(303);
        for (const page of pages[who]) {
          const text = visibleText((await agent.get(page).expect(200)).text);
          for (const [way, pattern] of OTHER_WAYS[locale]) {
            const m = pattern.exec(text);
            if (m) found.push(`${locale} ${page}: ${way} «${m[0]}» in «…${text.slice(Math.max(0, m.index - 60), m.index + 40)}…»`);
          }
        }
      }
      // The one formatter's way is there to be found.
      const home = visibleText((await people.secretariat.get(`/documents/${round.id}`).expect(200)).text);
      assert.match(home, locale === 'ru' ? /\b\d{2}\.\d{2}\.\d{4}\b/ : /\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b/);
      await people.secretariat.get('/locale/ru');
    }
    assert.deepEqual(found, []);
  });
});
