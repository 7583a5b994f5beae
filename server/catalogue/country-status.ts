// What a published standard is, country by country, on a given day (docs/catalogue.md): adopted and not
// yet in force, in force, replaced by a newer edition, or withdrawn. The same words in the catalogue, the
// standard's page, the verification page, the feed and the requirements JSON; never the past tense of a
// day still to come.
import { translate, type Locale } from '../i18n/index.js';
import type { Day } from '../time/days.js';
import { formatDay } from '../time/format.js';
import type { CatalogueEntry } from './entries.js';

/**
 * - adopted: published, its entry into force still to come (`date`);
 * - in-force: in force since `date`; `until` (and `by`) when its replacement or withdrawal is set for a later day;
 * - replaced: replaced by `by` since `date`;
 * - withdrawn: withdrawn since `date`.
 */
export type CountryStatusKind = 'adopted' | 'in-force' | 'replaced' | 'withdrawn';

export interface CountryStatus {
  country: string;
  kind: CountryStatusKind;
  date: Day | null;
  /** The day it stops being in force, when that is still to come. */
  until?: Day;
  /** The designation of the edition that replaces it. */
  by?: string;
}

type Dated = Pick<CatalogueEntry, 'entryIntoForce' | 'withdrawal' | 'designation'>;

const dayIn = (e: Pick<CatalogueEntry, 'entryIntoForce'>, country: string): Day | null => e.entryIntoForce.find((x) => x.country === country)?.date ?? null;

/** The status of the entry in one country on `today`; `successor` is the edition that replaces it, if any. */
function statusIn(e: Dated, country: string, today: Day, successor?: Dated): CountryStatus {
  const from = dayIn(e, country);
  // A successor takes over on its own entry into force there; a withdrawal on the day it names.
  const end = successor ? (dayIn(successor, country) ?? e.withdrawal?.date ?? null) : (e.withdrawal?.date ?? null);
  const endKind = successor ? 'replaced' : 'withdrawn';
  const by = successor?.designation;
  if (end && end <= today) return { country, kind: endKind, date: end, ...(by ? { by } : {}) };
  if (from && from > today) return { country, kind: 'adopted', date: from, ...(end ? { until: end } : {}), ...(by ? { by } : {}) };
  return { country, kind: 'in-force', date: from, ...(end ? { until: end } : {}), ...(by ? { by } : {}) };
}

/** The status in every country the standard names (its entry into force), in country order. */
export function countryStatuses(e: Dated, today: Day, successor?: Dated, countries?: readonly string[]): CountryStatus[] {
  const codes = countries ?? e.entryIntoForce.map((x) => x.country);
  return codes.map((c) => statusIn(e, c, today, successor));
}

/** In force in at least one country on `today` (the catalogue's "in force" filter). */
export function inForceSomewhere(e: Dated, today: Day, successor?: Dated): boolean {
  return countryStatuses(e, today, successor).some((s) => s.kind === 'in-force');
}

/** The status as a person reads it: «Принят, вводится в действие с 01.03.2027», «Действует», «Заменён СТ СГ 7-2028 с 01.03.2028»… */
export function statusPhrase(s: CountryStatus, locale: Locale): string {
  const day = (d: Day | null | undefined) => (d ? formatDay(d, locale) : '');
  const key =
    s.kind === 'in-force' && s.until ? (s.by ? 'catalogue.countryStatus.inForceUntilReplaced' : 'catalogue.countryStatus.inForceUntilWithdrawn')
    : s.kind === 'adopted' && s.until ? 'catalogue.countryStatus.adoptedUntil'
    : `catalogue.countryStatus.${s.kind}`;
  return translate(locale, key, { date: day(s.date), until: day(s.until), by: s.by ?? '' });
}

/** The entry's status as one word for the list and the filters: "adopted" while in force nowhere yet. */
export function entryStatus(e: Dated & Pick<CatalogueEntry, 'status'>, today: Day): CatalogueEntry['status'] | 'adopted' {
  if (e.status !== 'in-force') return e.status;
  return inForceSomewhere(e, today) || !e.entryIntoForce.length ? 'in-force' : 'adopted';
}
