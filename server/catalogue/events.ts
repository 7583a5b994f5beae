// How the catalogue hears of publications: a listener of the lifecycle (server/system.ts lists it). The
// publishing feature marks a document published, withdrawn or superseded through the lifecycle; this
// keeps the search fields, tells every instance to refresh, and mails the followers of the product group.
import type { DocumentRecord } from '../documents/index.js';
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
