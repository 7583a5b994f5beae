// What the catalogue's pages show, as plain view models made from the in-memory catalogue. Dates and
// sizes are formatted here, so a model is plain data (the benchmark's ceiling renders it from JSON).
import { dayOf, type Day } from '../time/days.js';
import { countryStatuses, entryStatus, statusPhrase } from './country-status.js';
import { formatDay, formatDayOf } from '../time/format.js';
import { NotFound } from '../errors.js';
import { hasKey, translate, type Locale } from '../i18n/index.js';
import { FILTER_STATUSES, SORT_ORDERS, type Catalogue, type CatalogueEntry } from './catalogue.js';
import { PER_PAGE, searchHref, type Filters } from './filters.js';
import type { GroupName } from './store.js';

export const messages = { notFound: 'catalogue.notFound' } as const;

const sizeUnits: Record<Locale, string[]> = { ru: ['байт', 'КБ', 'МБ', 'ГБ'], en: ['bytes', 'KB', 'MB', 'GB'] };
const sizeFormats: Record<Locale, Intl.NumberFormat[]> = {
  ru: [0, 1].map((digits) => new Intl.NumberFormat('ru-RU', { maximumFractionDigits: digits })),
  en: [0, 1].map((digits) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits })),
};

export function formatSize(bytes: number, locale: Locale): string {
  const units = sizeUnits[locale];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${sizeFormats[locale][u ? 1 : 0]!.format(n)} ${units[u]}`;
}

function groupNameOf(groups: readonly GroupName[], code: string, locale: Locale): string {
  return groups.find((g) => g.code === code)?.name[locale] ?? code;
}

function countryName(code: string, locale: Locale): string {
  const key = `catalogue.country.${code}`;
  return hasKey(key) ? translate(locale, key) : code;
}

const titleIn = (e: CatalogueEntry, locale: Locale) => e.titles[locale] || e.titles.ru;

/** Country by country, what the standard is on `today`, as the pages say it. */
function statusLines(catalogue: Catalogue, e: CatalogueEntry, today: Day, locale: Locale) {
  const successor = e.supersededBy ? catalogue.get(e.supersededBy) : undefined;
  return countryStatuses(e, today, successor).map((s) => ({ code: s.country, country: countryName(s.country, locale), kind: s.kind, text: statusPhrase(s, locale) }));
}

function listItem(catalogue: Catalogue, e: CatalogueEntry, groups: readonly GroupName[], locale: Locale, today: Day) {
  return {
    id: e.id,
    designation: e.designation,
    title: titleIn(e, locale),
    otherTitle: locale === 'ru' ? e.titles.en : e.titles.ru,
    otherLocale: locale === 'ru' ? 'en' : 'ru',
    group: groupNameOf(groups, e.productGroup, locale),
    ics: e.ics,
    status: entryStatus(e, today),
    countries: statusLines(catalogue, e, today, locale),
    published: formatDayOf(e.publishedAt, locale),
    publishedIso: dayOf(e.publishedAt),
  };
}

/** The product groups a visitor can filter by: the active ones, and any that has documents. */
export function filterGroups(groups: readonly GroupName[], catalogue: Catalogue, locale: Locale, selected = '') {
  const present = new Set(catalogue.groupCodes());
  return groups
    .filter((g) => g.active || present.has(g.code))
    .map((g) => ({ code: g.code, name: g.name[locale], selected: g.code === selected }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** The catalogue page: the filter form and one page of results. */
export function searchPageModel(catalogue: Catalogue, groups: readonly GroupName[], filters: Filters, locale: Locale, today: Day) {
  const result = catalogue.search({ ...filters, locale, perPage: PER_PAGE, today });
  const v = filters.values;
  const near = new Set([1, result.pages, result.page - 2, result.page - 1, result.page, result.page + 1, result.page + 2]);
  const pageLinks: { n: number; href: string; current: boolean; gap: boolean }[] = [];
  let last = 0;
  for (let n = 1; n <= result.pages; n++) {
    if (!near.has(n)) continue;
    pageLinks.push({ n, href: searchHref(v, { page: String(n) }), current: n === result.page, gap: n - last > 1 });
    last = n;
  }
  return {
    title: 'catalogue.title',
    values: v,
    searched: !!(filters.q || filters.group || filters.ics || filters.status || filters.from || filters.before),
    groups: filterGroups(groups, catalogue, locale, v.group),
    statuses: FILTER_STATUSES.map((s) => ({ value: s, selected: s === v.status })),
    sorts: SORT_ORDERS.map((s) => ({ value: s, selected: s === filters.sort })),
    total: result.total,
    catalogueSize: catalogue.size,
    results: result.items.map((e) => listItem(catalogue, e, groups, locale, today)),
    pagination: result.pages > 1
      ? {
          page: result.page,
          pages: result.pages,
          prev: result.page > 1 ? searchHref(v, { page: String(Math.min(result.page - 1, result.pages)) }) : undefined,
          next: result.page < result.pages ? searchHref(v, { page: String(result.page + 1) }) : undefined,
          links: pageLinks,
        }
      : undefined,
    beyondLastPage: result.page > result.pages,
    firstPageHref: searchHref(v, { page: '1' }),
    feedHref: v.group && filters.group ? `/catalogue/feed.atom?group=${encodeURIComponent(filters.group)}` : '/catalogue/feed.atom',
  };
}

/** The catalogue page after refused filters: the form as typed, the reasons, no results. */
export function refusedSearchModel(catalogue: Catalogue, groups: readonly GroupName[], values: Record<string, unknown>, locale: Locale) {
  const text = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
  const v = { q: text('q'), group: text('group'), ics: text('ics'), status: text('status'), from: text('from'), to: text('to'), sort: text('sort'), page: text('page') };
  return {
    title: 'catalogue.title',
    values: v,
    searched: true,
    refused: true,
    groups: filterGroups(groups, catalogue, locale, v.group),
    statuses: FILTER_STATUSES.map((s) => ({ value: s, selected: s === v.status })),
    sorts: SORT_ORDERS.map((s) => ({ value: s, selected: s === v.sort })),
    total: 0,
    catalogueSize: catalogue.size,
    results: [],
    feedHref: '/catalogue/feed.atom',
  };
}

function link(e: CatalogueEntry, locale: Locale) {
  return { id: e.id, designation: e.designation, title: titleIn(e, locale), status: e.status, published: formatDayOf(e.publishedAt, locale) };
}

/** A standard's page. Anything not in the catalogue is "not found", whatever it is. */
export function standardPageModel(catalogue: Catalogue, groups: readonly GroupName[], id: string, locale: Locale, today: Day) {
  const e = catalogue.get(id);
  if (!e) throw new NotFound(messages.notFound);
  const successor = e.supersededBy ? catalogue.get(e.supersededBy) : undefined;
  const predecessor = e.supersedes ? catalogue.get(e.supersedes) : undefined;
  const lines = statusLines(catalogue, e, today, locale);
  const versions = catalogue.versionsOf(e.id).map((v) => ({
    ...link(v, locale),
    current: v.id === e.id,
    revision: v.revision,
    // An edition that replaced an earlier one: what changed between the two published texts (never
    // the drafts in between, which stay the committee's).
    changes: v.supersedes && catalogue.get(v.supersedes) ? { href: `/catalogue/${v.id}/changes`, from: catalogue.get(v.supersedes)!.designation } : undefined,
  }));
  return {
    // The layout looks `title` up as a message key; a designation is no key, so it is shown as it is.
    title: e.designation,
    doc: {
      id: e.id,
      designation: e.designation,
      titleRu: e.titles.ru,
      titleEn: e.titles.en,
      // The title in the page's language first, the other one under it.
      title: titleIn(e, locale),
      otherTitle: locale === 'ru' ? e.titles.en : e.titles.ru,
      lang: locale,
      otherLang: locale === 'ru' ? 'en' : 'ru',
      status: entryStatus(e, today),
      group: groupNameOf(groups, e.productGroup, locale),
      groupCode: e.productGroup,
      ics: e.ics,
      revision: e.revision,
      published: formatDayOf(e.publishedAt, locale),
      publishedIso: dayOf(e.publishedAt),
    },
    supersededBy: successor ? link(successor, locale) : undefined,
    supersedes: predecessor ? link(predecessor, locale) : undefined,
    // A day still to come is spoken of as to come (country-status.ts).
    withdrawal: e.status === 'withdrawn' && e.withdrawal ? { day: formatDay(e.withdrawal.date, locale), iso: e.withdrawal.date, reason: e.withdrawal.reason, future: e.withdrawal.date > today } : undefined,
    supersededOn: successor ? formatDay(e.withdrawal?.date ?? dayOf(successor.publishedAt), locale) : undefined,
    supersededLater: !!successor && (e.withdrawal?.date ?? dayOf(successor.publishedAt)) > today,
    // (not `date`: a field of that name would lose to the `date` helper in the view)
    entryIntoForce: e.entryIntoForce.map((x) => ({ country: countryName(x.country, locale), code: x.country, day: formatDay(x.date, locale), iso: x.date, status: lines.find((l) => l.code === x.country)?.text })),
    versions: versions.length > 1 ? versions : undefined,
    ...amendmentsAndEditions(catalogue, e, locale),
    downloads: {
      pdf: `/catalogue/${e.id}/pdf`,
      docx: `/catalogue/${e.id}/docx`,
      size: e.file ? formatSize(e.file.size, locale) : undefined,
      sha256: e.file?.sha256,
      csv: `/catalogue/${e.id}/requirements.csv`,
      json: `/catalogue/${e.id}/requirements.json`,
      sts: `/catalogue/${e.id}/sts.xml`,
    },
    textHref: `/documents/${e.id}`,
  };
}

/**
 * A standard's amendments and editions (docs/amendments.md): each amendment with its page, each edition
 * with its date, its own PDF and hash — the newest first downloaded by default, the earlier ones kept
 * downloadable and verifiable. An amendment's page names the standard it amends.
 */
function amendmentsAndEditions(catalogue: Catalogue, e: CatalogueEntry, locale: Locale) {
  const standard = e.amends ? catalogue.get(e.amends) : undefined;
  const last = e.editions.length - 1;
  const editions = e.editions.map((ed, i) => ({
    n: i + 1,
    label: i === 0 ? translate(locale, 'amendments.firstEdition') : translate(locale, 'amendments.editionWith', { year: dayOf(ed.publishedAt).slice(0, 4), numbers: ed.amendments.map((a) => a.number).join(', '), count: ed.amendments.length }),
    published: formatDayOf(ed.publishedAt, locale),
    iso: dayOf(ed.publishedAt),
    newest: i === last,
    href: `/catalogue/${e.id}/editions/${i + 1}/pdf`,
    sha256: ed.sha256,
    size: formatSize(ed.size, locale),
  })).reverse();
  const amendments = (e.editions.at(-1)?.amendments ?? []).map((a) => {
    const entry = catalogue.get(a.id);
    return { id: a.id, designation: a.designation, published: entry ? formatDayOf(entry.publishedAt, locale) : undefined, href: `/catalogue/${a.id}` };
  });
  return {
    amendsStandard: standard ? link(standard, locale) : undefined,
    editions: editions.length > 1 ? editions : undefined,
    amendments: amendments.length ? amendments : undefined,
  };
}
