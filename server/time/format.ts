// How the interface writes days and instants: the one formatter of the whole application (docs/time.md).
// Russian: 02.12.2026 and 02.12.2026 14:00 (UTC+3); English: 2 December 2026 and 2 December 2026, 14:00 (UTC+3).
import { committeeTimeOf, dayOf, type Day } from './days.js';

type Locale = 'ru' | 'en';

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** «02.12.2026» (ru), «2 December 2026» (en). */
export function formatDay(d: Day, locale: Locale): string {
  const [y, m, dd] = d.split('-');
  if (locale === 'en') return `${Number(dd)} ${MONTHS_EN[Number(m) - 1]} ${y}`;
  return `${dd}.${m}.${y}`;
}

/** «02.12.2026 14:00 (UTC+3)» (ru), «2 December 2026, 14:00 (UTC+3)» (en): an instant in committee time. */
export function formatInstant(at: Date, locale: Locale): string {
  const dayText = formatDay(dayOf(at), locale);
  return `${dayText}${locale === 'en' ? ',' : ''} ${committeeTimeOf(at)} (UTC+3)`;
}

/** The day of an instant, as the interface writes days. */
export function formatDayOf(at: Date, locale: Locale): string {
  return formatDay(dayOf(at), locale);
}

/** A day as a message parameter: `translate` writes it as the locale writes days. */
export interface DayParam {
  day: Day;
}
export const dayParam = (day: Day): DayParam => ({ day });

/** Message parameters as text in the locale: instants and days as the interface writes them. */
export function formatParam(value: unknown, locale: Locale): string {
  if (value instanceof Date) return formatInstant(value, locale);
  if (value && typeof value === 'object' && 'day' in value) return formatDay((value as DayParam).day, locale);
  return String(value);
}
