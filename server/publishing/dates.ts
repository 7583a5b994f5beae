// Calendar days of the committee (Minsk and Moscow, UTC+3 all year). A date of entry into force or of
// withdrawal is a day, stored as that day's UTC midnight and always read back with its UTC date.
const OFFSET_MS = 3 * 3600_000;

/** «2027-05-14»: the calendar day of an instant in committee time. */
export function committeeDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** «2027-05-14» of a stored day (UTC midnight). */
export function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A calendar day as stored: its UTC midnight; undefined for anything but a real yyyy-mm-dd day. */
export function parseDay(s: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || dayOf(d) !== s ? undefined : d;
}

/** Today in committee time, as a stored day. */
export function today(now = new Date()): Date {
  return new Date(`${committeeDay(now)}T00:00:00Z`);
}

/** «14.05.2027» for Russian pages, «14 May 2027» for English ones. */
export function formatDay(d: Date, locale: 'ru' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: 'UTC', day: locale === 'ru' ? '2-digit' : 'numeric', month: locale === 'ru' ? '2-digit' : 'long', year: 'numeric' }).format(d);
}
