import { translate, type Locale } from '../i18n/index.js';

/** «осталось 12 дней 3 часа» — or that the time is up. */
export function timeLeft(until: Date, now: Date, locale: Locale): string {
  const ms = until.getTime() - now.getTime();
  if (ms <= 0) return translate(locale, 'comments.periodOver');
  const days = Math.floor(ms / 86400_000);
  const hours = Math.floor((ms % 86400_000) / 3600_000);
  const minutes = Math.max(1, Math.floor((ms % 3600_000) / 60_000));
  const t = (unit: string, count: number) => translate(locale, `time.${unit}`, { count });
  const parts = days > 0 ? [t('days', days), t('hours', hours)] : hours > 0 ? [t('hours', hours), t('minutes', minutes)] : [t('minutes', minutes)];
  return translate(locale, 'comments.timeLeft', { left: parts.join(' ') });
}
