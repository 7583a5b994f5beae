import assert from 'node:assert/strict';
import { countryStatuses, entryStatus, statusPhrase } from '../../../server/catalogue/country-status.js';
import type { Day } from '../../../server/time/days.js';

const entry = (dates: Record<string, string>, extra: { withdrawal?: { date: string } } = {}) => ({
  designation: 'СТ СГ 5-2026',
  status: 'in-force' as const,
  entryIntoForce: Object.entries(dates).map(([country, date]) => ({ country, date: date as Day })),
  withdrawal: extra.withdrawal ? { date: extra.withdrawal.date as Day, reason: 'Устарел', recordedAt: new Date(0) } : null,
});
const day = (d: string) => d as Day;

describe('a standard’s status country by country', () => {
  const e = entry({ BY: '2027-03-01', RU: '2027-06-01' });

  it('is adopted until its day in each country, then in force', () => {
    assert.deepEqual(countryStatuses(e, day('2027-02-28')).map((s) => [s.country, s.kind, s.date]), [['BY', 'adopted', '2027-03-01'], ['RU', 'adopted', '2027-06-01']]);
    assert.deepEqual(countryStatuses(e, day('2027-03-01')).map((s) => [s.country, s.kind]), [['BY', 'in-force'], ['RU', 'adopted']]);
    assert.equal(entryStatus(e, day('2027-02-28')), 'adopted');
    assert.equal(entryStatus(e, day('2027-03-01')), 'in-force');
  });

  it('says it in the words of each language, never in the past tense of a day to come', () => {
    const [by] = countryStatuses(e, day('2027-02-28'));
    assert.equal(statusPhrase(by!, 'ru'), 'Принят, вводится в действие с 01.03.2027');
    assert.equal(statusPhrase(by!, 'en'), 'Adopted, in force from 1 March 2027');
    const later = countryStatuses(e, day('2027-07-01'));
    assert.equal(statusPhrase(later[0]!, 'ru'), 'Действует');
  });

  it('is replaced in each country on the day its successor comes into force there', () => {
    const successor = { ...entry({ BY: '2029-01-01', RU: '2029-07-01' }), designation: 'СТ СГ 9-2028' };
    const mid = countryStatuses(e, day('2029-03-01'), successor);
    assert.deepEqual(mid.map((s) => [s.country, s.kind]), [['BY', 'replaced'], ['RU', 'in-force']]);
    assert.equal(statusPhrase(mid[0]!, 'ru'), 'Заменён СТ СГ 9-2028 с 01.01.2029');
    assert.equal(statusPhrase(mid[1]!, 'ru'), 'Действует; с 01.07.2029 заменяется СТ СГ 9-2028');
  });

  it('is withdrawn from the day the withdrawal names, and says it is to be before that', () => {
    const w = entry({ BY: '2027-03-01', RU: '2027-03-01' }, { withdrawal: { date: '2030-01-01' } });
    assert.equal(statusPhrase(countryStatuses(w, day('2029-12-31'))[0]!, 'ru'), 'Действует; отменяется с 01.01.2030');
    assert.equal(statusPhrase(countryStatuses(w, day('2030-01-01'))[0]!, 'ru'), 'Отменён с 01.01.2030');
  });
});
