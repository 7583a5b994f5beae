// How the catalogue hears of publications: a listener on the workflow's moves. The publishing feature
// marks a document published, withdrawn or superseded with transition(); this keeps the search fields,
// tells every instance to refresh, and mails the followers of the product group.
import { inBackground } from '../comments/notices.js';
import type { DocumentRecord } from '../documents/model.js';
import { onTransition } from '../documents/service.js';
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

/** Reacts to one move; exported so that a test can replay a move the way the listener sees it. */
export async function catalogueMoved(name: string, before: DocumentRecord, after: DocumentRecord): Promise<void> {
  if (!isPublic(before) && !isPublic(after)) return;
  const id = String(after._id);
  // Awaited, so the page that published sees the new catalogue; a failure is logged, never undoes the
  // move (the catalogue fills in missing search fields itself when it next loads).
  const work = (async () => {
    if (name === 'publish') await indexDocument(id);
    await catalogueChanged();
  })();
  inBackground(work);
  await work.catch(() => undefined);

  const kind = eventOf(name, after);
  if (!kind) return;
  inBackground(
    (async () => {
      const catalogue = await currentCatalogue();
      const entry = catalogue.get(id);
      if (!entry) return;
      const replaced = kind === 'amended' && after.supersedes ? catalogue.get(String(after.supersedes)) : undefined;
      await notifySubscribers(kind, entry, replaced);
    })(),
  );
}

let registered = false;
export function registerCatalogueEvents(): void {
  if (registered) return;
  registered = true;
  onTransition(({ name, before, after }) => catalogueMoved(name, before, after));
}
