// How the catalogue hears of publications: a listener of the lifecycle (server/system.ts lists it). The
// publishing feature marks a document published, withdrawn or superseded through the lifecycle; this
// keeps the search fields, tells every instance to refresh, and mails the followers of the product group.
import { editionsOf, getDocument, getRevision, type DocumentRecord } from '../documents/index.js';
import { amendmentChanges } from '../text/amendment.js';
import { requirementRows } from './requirements.js';
import { translate } from '../i18n/index.js';
import type { Listener } from '../lifecycle/index.js';
import type { Notices } from '../notices/index.js';
import { PUBLIC_STATES, type FeedEventKind } from './catalogue.js';
import { catalogueChanged, currentCatalogue, indexDocument } from './store.js';
import { notifySubscribers } from './subscriptions.js';

const isPublic = (doc: DocumentRecord) => (PUBLIC_STATES as readonly string[]).includes(doc.state);

/** What a move means to a follower of the catalogue, if anything. */
export function eventOf(name: string, after: DocumentRecord): FeedEventKind | undefined {
  if (name === 'publish') return after.supersedes ? 'amended' : 'published';
  if (name === 'withdraw') return 'withdrawn';
  // 'supersede' withdraws the old version when its successor is published: the 'amended' mail says it.
  return undefined;
}

/**
 * Reacts to one move. The search fields and the counter are awaited, so the page that published sees the
 * new catalogue; a failure there is the lifecycle's to log and retry (server/lifecycle/listeners.ts). The
 * mails to followers go in the background.
 */
export function catalogueListener(notices: Notices): Listener {
  return {
    name: 'catalogue',
    async onMove({ name, before, after }) {
      if (!isPublic(before) && !isPublic(after)) return;
      const id = String(after._id);
      // An amendment's publication gave its standard a consolidated edition (docs/amendments.md): the
      // standard's entry changes with it, and its followers are told what changed.
      if (name === 'publish' && after.amends) {
        await indexDocument(id);
        await indexDocument(String(after.amends));
        await catalogueChanged();
        notices.inBackground(amendmentNotice(notices, after));
        return;
      }
      if (name === 'publish') await indexDocument(id);
      await catalogueChanged();

      const kind = eventOf(name, after);
      if (!kind) return;
      notices.inBackground(
        (async () => {
          const catalogue = await currentCatalogue();
          const entry = catalogue.get(id);
          if (!entry) return;
          const replaced = kind === 'amended' && after.supersedes ? catalogue.get(String(after.supersedes)) : undefined;
          await notifySubscribers(notices, kind, entry, replaced);
        })(),
      );
    },
  };
}

/**
 * What an amendment changed, for the mail to the standard's followers: its clauses (replaced, added,
 * deleted) and the requirements whose values differ between the standard's last two editions.
 */
export async function amendmentSummary(standard: DocumentRecord): Promise<{ clauses: { ru: string; en: string }; requirements: { ru: string; en: string } } | undefined> {
  const editions = editionsOf(standard);
  if (editions.length < 2) return undefined;
  const [older, newer] = await Promise.all([getRevision(standard, editions.at(-2)!.revision), getRevision(standard, editions.at(-1)!.revision)]);
  const changes = amendmentChanges(older.clauses, newer.clauses);
  const before = new Map(requirementRows(older.clauses).map((r) => [r.key, r]));
  const after = requirementRows(newer.clauses);
  const changed = after.filter((r) => before.has(r.key) && before.get(r.key)!.text.ru !== r.text.ru);
  const added = after.filter((r) => !before.has(r.key));
  const removed = [...before.values()].filter((r) => !after.some((a) => a.key === r.key));
  const list = (locale: 'ru' | 'en') => [
    ...changed.map((r) => translate(locale, 'amendments.mail.requirementChanged', { parameter: r.parameter, clause: r.clause, before: before.get(r.key)!.text[locale], after: r.text[locale] })),
    ...added.map((r) => translate(locale, 'amendments.mail.requirementAdded', { parameter: r.parameter, clause: r.clause, after: r.text[locale] })),
    ...removed.map((r) => translate(locale, 'amendments.mail.requirementRemoved', { parameter: r.parameter, clause: r.clause })),
  ];
  const labels = (type: string) => changes.filter((c) => c.type === type).map((c) => c.label).join(', ');
  const clauses = (locale: 'ru' | 'en') => (['replace', 'add', 'delete'] as const)
    .filter((t) => labels(t))
    .map((t) => translate(locale, `amendments.mail.${t}`, { labels: labels(t) }))
    .join('; ');
  const requirements = (locale: 'ru' | 'en') => (list(locale).length ? list(locale).join('; ') : translate(locale, 'amendments.mail.noRequirements'));
  return { clauses: { ru: clauses('ru'), en: clauses('en') }, requirements: { ru: requirements('ru'), en: requirements('en') } };
}

async function amendmentNotice(notices: Notices, amendment: DocumentRecord): Promise<void> {
  const catalogue = await currentCatalogue();
  const entry = catalogue.get(String(amendment.amends));
  if (!entry || !amendment.designation) return;
  const standard = await getDocument(undefined, String(amendment.amends));
  const summary = await amendmentSummary(standard);
  if (!summary) return;
  await notifySubscribers(notices, 'amendment', entry, undefined, {
    key: `catalogue:amendment:${amendment._id}`,
    what: (locale) => translate(locale, 'amendments.mail.what', { amendment: amendment.designation!, clauses: summary.clauses[locale], requirements: summary.requirements[locale] }),
  });
}
