import { InvalidInput } from '../errors.js';

/** Minsk and Moscow keep UTC+3 all year; deadlines are given and shown in that time. */
export const committeeOffset = '+03:00';
export const committeeTimeZone = 'Europe/Minsk';

/** «2027-01-31» and «18:00» in committee time, as an instant. */
export function parseCommitteeDeadline(date: string, time = '23:59'): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InvalidInput('documents.deadlineFormat', {}, { closesDate: 'documents.deadlineFormat' });
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) throw new InvalidInput('documents.deadlineFormat', {}, { closesTime: 'documents.deadlineFormat' });
  const d = new Date(`${date}T${time}:00${committeeOffset}`);
  // A date such as 2027-02-30 is either invalid or rolls into March: both are refused.
  if (Number.isNaN(d.getTime()) || !sameCalendarDay(date, d)) {
    throw new InvalidInput('documents.deadlineFormat', {}, { closesDate: 'documents.deadlineFormat' });
  }
  return d;
}

function sameCalendarDay(date: string, d: Date): boolean {
  const local = new Date(d.getTime() + 3 * 3600_000).toISOString().slice(0, 10);
  return local === date;
}

/** The calendar date in committee time, n days from now: the default of a form's date field. */
export function committeeDateInDays(days: number, now = new Date()): string {
  return new Date(now.getTime() + 3 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}
