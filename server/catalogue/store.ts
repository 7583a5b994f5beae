// Where the catalogue meets the database: the search fields kept on each published document, the
// version counter, and the in-memory Catalogue that every instance rebuilds when the counter moves.
//
// searchTokens and sortKey are the catalogue's own fields on the documents collection (see
// server/documents/model.ts), read and written through the documents service.
import type { DocumentRecord } from '../documents/index.js';
import { documentsForCatalogue, getRevision, searchSourceOf, storeSearchFields } from '../documents/index.js';
import { subtreeEnd, type Clause } from '../text/clauses.js';
import { markupToPlainText, parseMarkup } from '../text/markup.js';
import { listProductGroups } from '../documents/index.js';
import { NotFound } from '../errors.js';
import { Catalogue, PUBLIC_STATES, type PublishedRecord } from './catalogue.js';
import { CatalogueVersion } from './model.js';
import { searchTokensOf, sortKeyOf } from './tokens.js';

const VERSION_ID = 'catalogue';
/** How stale an instance's catalogue may be after another instance changed it. */
export const CHECK_INTERVAL_MS = 1000;
/** Product group names change rarely and bump no counter; they are re-read this often. */
const GROUP_NAMES_TTL_MS = 30_000;

const recordFields = {
  titles: 1, kind: 1, productGroup: 1, ics: 1, state: 1, designation: 1, publication: 1, supersedes: 1, supersededBy: 1, amends: 1, editions: 1, withdrawal: 1, searchTokens: 1, sortKey: 1,
} as const;

// --- search fields ---------------------------------------------------------------------------------

/** The plain text of the scope clause (GOST 1.5 section 1) and everything under it. */
export function scopeText(clauses: readonly Clause[]): string {
  let at = clauses.findIndex((c) => c.key === 'scope');
  if (at < 0) at = clauses.findIndex((c) => c.depth === 0 && c.kind === 'section' && !c.annex && !c.unnumbered);
  if (at < 0) return '';
  return clauses
    .slice(at, subtreeEnd(clauses, at))
    .flatMap((c) => [c.heading, c.body, c.requirement?.parameter].filter((t): t is string => !!t))
    .map((t) => markupToPlainText(parseMarkup(t)))
    .join('\n');
}

/** Search fields of one document from its titles, designation and the scope of its published revision. */
export async function searchFieldsOf(doc: Pick<DocumentRecord, '_id' | 'titles' | 'designation' | 'publication'> & { amends?: unknown }): Promise<{ searchTokens: string[]; sortKey: string }> {
  let scope = '';
  const revision = doc.publication?.revision;
  // An amendment's revision is its standard's text with the changes: the standard's entry is found by that
  // text; the amendment by its designation and titles only (docs/amendments.md).
  if (revision && !doc.amends) {
    try {
      scope = scopeText((await getRevision(doc as DocumentRecord, revision)).clauses);
    } catch (err) {
      if (!(err instanceof NotFound)) throw err;
    }
  }
  return { searchTokens: searchTokensOf({ titles: doc.titles, designation: doc.designation ?? doc.publication?.designation, scope }), sortKey: sortKeyOf(doc.titles.ru) };
}

/** Computes and stores the search fields of a published document. Idempotent. */
export async function indexDocument(id: string): Promise<void> {
  const doc = await searchSourceOf(id);
  if (!doc) return;
  await storeSearchFields(doc._id, await searchFieldsOf(doc));
}

// --- the version counter ---------------------------------------------------------------------------

async function storedVersion(): Promise<{ version: number; changedAt: Date }> {
  const v = await CatalogueVersion.findById(VERSION_ID).select({ version: 1, changedAt: 1 }).lean<{ version: number; changedAt: Date }>();
  return { version: v?.version ?? 0, changedAt: v?.changedAt ?? new Date(0) };
}

/**
 * Tells every instance that the catalogue changed: bumps the stored counter (others see it within
 * CHECK_INTERVAL_MS) and makes this instance re-check on its next request.
 */
export async function catalogueChanged(): Promise<void> {
  const bump = () => CatalogueVersion.updateOne({ _id: VERSION_ID }, { $inc: { version: 1 }, $set: { changedAt: new Date() } }, { upsert: true });
  try {
    await bump();
  } catch (err) {
    // Two first-ever bumps at once: one upsert inserts, the other meets the key and simply retries.
    if ((err as { code?: number }).code !== 11000) throw err;
    await bump();
  }
  localGeneration++;
}

// --- the in-memory catalogue -----------------------------------------------------------------------

interface Held {
  version: number;
  catalogue: Catalogue;
  checkedAt: number;
  checkedGeneration: number;
}
let held: Held | undefined;
/** Bumped by changes made through this instance, so its next request never sees the old catalogue. */
let localGeneration = 0;
let pending: { generation: number; promise: Promise<Catalogue> } | undefined;
async function loadRecords(): Promise<PublishedRecord[]> {
  return (await documentsForCatalogue(PUBLIC_STATES, recordFields)) as unknown as PublishedRecord[];
}

async function refresh(generation: number): Promise<Catalogue> {
  const { version, changedAt } = await storedVersion();
  if (held && held.version === version) {
    held.checkedAt = Date.now();
    held.checkedGeneration = Math.max(held.checkedGeneration, generation);
    return held.catalogue;
  }
  const records = await loadRecords();
  const catalogue = new Catalogue(records);
  catalogue.changedAt = changedAt;
  if (!held || version >= held.version) held = { version, catalogue, checkedAt: Date.now(), checkedGeneration: generation };
  return held.catalogue;
}

/**
 * The catalogue as it is now: from memory, checked against the stored counter at most once a second
 * (one point read), rebuilt only when the counter moved. Concurrent callers share one check.
 */
export async function currentCatalogue(): Promise<Catalogue> {
  const generation = localGeneration;
  if (held && held.checkedGeneration === generation && Date.now() - held.checkedAt < CHECK_INTERVAL_MS) return held.catalogue;
  if (pending && pending.generation === generation) return pending.promise;
  const promise = refresh(generation).finally(() => {
    if (pending?.promise === promise) pending = undefined;
  });
  pending = { generation, promise };
  return promise;
}

// --- product group names ---------------------------------------------------------------------------

export interface GroupName {
  code: string;
  name: { ru: string; en: string };
  active: boolean;
}
let groupNames: { at: number; groups: GroupName[] } | undefined;

/**
 * The product groups, from memory for GROUP_NAMES_TTL_MS. `mustKnow`: a code the caller was given; if
 * the remembered list lacks it, the list is read again (a group made a moment ago is no unknown group).
 */
export async function productGroupNames(mustKnow?: unknown): Promise<GroupName[]> {
  const fresh = groupNames && Date.now() - groupNames.at < GROUP_NAMES_TTL_MS;
  // At most one such re-read a second, so that made-up codes cannot turn every request into a read.
  const lacks = typeof mustKnow === 'string' && mustKnow !== '' && !groupNames?.groups.some((g) => g.code === mustKnow) && Date.now() - (groupNames?.at ?? 0) > 1000;
  if (groupNames && fresh && !lacks) return groupNames.groups;
  const groups = (await listProductGroups()).map((g) => ({ code: g.code, name: g.name, active: g.active }));
  groupNames = { at: Date.now(), groups };
  return groups;
}
