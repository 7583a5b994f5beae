import assert from 'node:assert/strict';
import { addDays, atCommitteeTime, day, dayOf, daysBetween, parseDay, startOfDay, yearOf } from '../../../server/time/days.js';
import { formatDay, formatDayOf, formatInstant } from '../../../server/time/format.js';
import { timeLeft } from '../../../server/time/time-left.js';
import { translate } from '../../../server/i18n/index.js';
import { ManualClock } from '../../../server/time/clock.js';

describe('days and instants', () => {
  it('puts an instant on the committee day it falls on in Minsk and Moscow (UTC+3)', () => {
    assert.equal(dayOf(new Date('2026-12-31T20:59:00Z')), '2026-12-31', '23:59 on 31 December');
    assert.equal(dayOf(new Date('2026-12-31T21:00:00Z')), '2027-01-01', 'midnight');
    assert.equal(dayOf(new Date('2027-02-28T21:30:00Z')), '2027-03-01', '00:30 on the 1st of a month');
    assert.equal(dayOf(new Date('2028-02-28T21:00:00Z')), '2028-02-29', 'a leap day');
    assert.equal(yearOf(dayOf(new Date('2027-12-31T21:30:00Z'))), 2028);
  });

  it('reads only real calendar days', () => {
    assert.equal(parseDay('2028-02-29'), '2028-02-29');
    for (const s of ['2027-02-29', '2027-02-30', '2027-13-01', '27-01-01', '2027-1-1', '01.02.2027', '', '2027-01-01T00:00']) assert.equal(parseDay(s), undefined, s);
    assert.throws(() => day('2027-02-30'));
  });

  it('counts days across month, year and leap-day boundaries', () => {
    assert.equal(addDays(day('2028-02-28'), 1), '2028-02-29');
    assert.equal(addDays(day('2028-02-29'), 1), '2028-03-01');
    assert.equal(addDays(day('2026-12-31'), 1), '2027-01-01');
    assert.equal(addDays(day('2027-03-01'), -1), '2027-02-28');
    assert.equal(daysBetween(day('2028-01-01'), day('2029-01-01')), 366);
  });

  it('turns a committee day and wall-clock time into the instant, and a day into its first instant', () => {
    assert.equal(atCommitteeTime(day('2027-01-31'), '23:59')!.toISOString(), '2027-01-31T20:59:00.000Z');
    assert.equal(atCommitteeTime(day('2027-01-31'), '24:00'), undefined);
    assert.equal(startOfDay(day('2027-01-01')).toISOString(), '2026-12-31T21:00:00.000Z');
  });

  it('writes days as 02.12.2026 in Russian and 2 December 2026 in English', () => {
    assert.equal(formatDay(day('2026-12-02'), 'ru'), '02.12.2026');
    assert.equal(formatDay(day('2026-12-02'), 'en'), '2 December 2026');
    assert.equal(formatDayOf(new Date('2026-12-01T21:30:00Z'), 'ru'), '02.12.2026', 'the committee day, not the UTC one');
  });

  it('writes instants in committee time with «(UTC+3)»', () => {
    const at = new Date('2026-12-31T20:59:00Z');
    assert.equal(formatInstant(at, 'ru'), '31.12.2026 23:59 (UTC+3)');
    assert.equal(formatInstant(at, 'en'), '31 December 2026, 23:59 (UTC+3)');
  });

  it('fills message parameters that are instants or days in the reader’s language', () => {
    const closedAt = new Date('2027-01-31T20:59:00Z');
    assert.equal(translate('ru', 'comments.periodClosed', { closedAt }), 'Срок отзывов истёк 31.01.2027 23:59 (UTC+3). Замечание не принято.');
    assert.match(translate('en', 'comments.periodClosed', { closedAt }), /31 January 2027, 23:59 \(UTC\+3\)/);
    assert.match(translate('en', 'publishing.withdrawalBeforePublication', { date: { day: day('2027-05-14') } }), /14 May 2027/);
  });

  it('says how much time is left from the given instant, never from the machine’s clock', () => {
    const clock = new ManualClock('2027-01-01T09:00:00Z');
    const until = new Date('2027-01-13T12:30:00Z');
    assert.equal(timeLeft(until, clock.now(), 'ru'), 'Осталось 12 дней 3 часа.');
    clock.set(until);
    assert.equal(timeLeft(until, clock.now(), 'ru'), 'Срок отзывов истёк.');
  });
});
