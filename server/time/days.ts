// Days and instants are different things (docs/time.md). An instant — a deadline, an event, a
// publication — is a Date. A day — entry into force, withdrawal — is a calendar day of the committee,
// written and stored as «2027-05-14»; the type keeps the two apart, so one is never compared with the
// other. Minsk and Moscow keep UTC+3 all year, so a committee day runs from 21:00 UTC the day before.

declare const dayBrand: unique symbol;
/** A calendar day of the committee, «yyyy-mm-dd»; compare with < and > (the text sorts by date). */
export type Day = string & { readonly [dayBrand]: true };

export const COMMITTEE_OFFSET = '+03:00';
const OFFSET_MS = 3 * 3600_000;
const DAY_MS = 86400_000;

/** The committee day an instant falls on. */
export function dayOf(at: Date): Day {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10) as Day;
}

/** A real calendar day written «yyyy-mm-dd», else undefined (2027-02-30 is none). */
export function parseDay(s: string): Day | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? undefined : (s as Day);
}

/** Like parseDay, for values that must be days (constants, stored data): throws otherwise. */
export function day(s: string): Day {
  const d = parseDay(s);
  if (!d) throw new Error(`not a calendar day: ${s}`);
  return d;
}

export function addDays(d: Day, n: number): Day {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10) as Day;
}

/** Whole days from a to b (negative when b is earlier). */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** The instant a committee day begins (00:00 UTC+3). */
export function startOfDay(d: Day): Date {
  return new Date(`${d}T00:00:00${COMMITTEE_OFFSET}`);
}

/**
 * The instant of a committee wall-clock time «hh:mm» on a day, e.g. a deadline of 31.01.2027 18:00;
 * undefined for a time that is no time of day.
 */
export function atCommitteeTime(d: Day, hhmm: string): Date | undefined {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(hhmm)) return undefined;
  return new Date(`${d}T${hhmm}:00${COMMITTEE_OFFSET}`);
}

/** «hh:mm» of an instant in committee time. */
export function committeeTimeOf(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(11, 16);
}

/** The year of a committee day. */
export function yearOf(d: Day): number {
  return Number(d.slice(0, 4));
}
