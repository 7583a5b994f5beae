import { InvalidInput } from '../errors.js';
import { atCommitteeTime, parseDay } from '../time/days.js';

/** «2027-01-31» and «18:00» in committee time (UTC+3), as an instant; a day that does not exist is refused. */
export function parseCommitteeDeadline(date: string, time = '23:59'): Date {
  const day = parseDay(date);
  if (!day) throw new InvalidInput('documents.deadlineFormat', {}, { closesDate: 'documents.deadlineFormat' });
  const at = atCommitteeTime(day, time);
  if (!at) throw new InvalidInput('documents.deadlineFormat', {}, { closesTime: 'documents.deadlineFormat' });
  return at;
}
