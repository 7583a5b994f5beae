import { translate, type Locale } from '../i18n/index.js';
import { escapeHtml } from '../text/markup.js';

interface Stats {
  delegations: string[];
  types: readonly string[];
  outcomes: readonly string[];
  table: { delegation: string; type: string; counts: number[]; total: number }[];
}

const colours: Record<string, string> = { accepted: '#2e7d32', partially: '#7cb342', rejected: '#c62828', noted: '#1565c0', referred: '#6a1b9a', none: '#9e9e9e' };

/**
 * A stacked bar per delegation and type, coloured by disposition: plain SVG drawn on the server, readable
 * with no JavaScript, with a text legend and a title on every bar for screen readers.
 */
export function statisticsSvg(stats: Stats, locale: Locale): string {
  const bars = stats.table;
  const max = Math.max(1, ...bars.map((b) => b.total));
  const barH = 22;
  const gap = 8;
  const left = 90;
  const width = 640;
  const plot = width - left - 60;
  const top = 10;
  const legendY = top + bars.length * (barH + gap) + 16;
  const height = legendY + 30;
  const t = (k: string, p: Record<string, unknown> = {}) => escapeHtml(translate(locale, k, p));
  const parts: string[] = [];
  bars.forEach((b, i) => {
    const y = top + i * (barH + gap);
    parts.push(`<text x="${left - 8}" y="${y + barH * 0.7}" text-anchor="end" font-size="12">${escapeHtml(b.delegation)} · ${escapeHtml(b.type)}</text>`);
    let x = left;
    b.counts.forEach((n, j) => {
      if (!n) return;
      const w = (n / max) * plot;
      const outcome = stats.outcomes[j]!;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colours[outcome]}"><title>${escapeHtml(b.delegation)} ${escapeHtml(b.type)}: ${t(`comments.decision.${outcome}`)} — ${n}</title></rect>`);
      x += w;
    });
    parts.push(`<text x="${(x + 6).toFixed(1)}" y="${y + barH * 0.7}" font-size="12">${b.total}</text>`);
  });
  let lx = left;
  for (const o of stats.outcomes) {
    const label = t(`comments.decision.${o}`);
    parts.push(`<rect x="${lx}" y="${legendY}" width="12" height="12" fill="${colours[o]}"/><text x="${lx + 16}" y="${legendY + 10}" font-size="11">${label}</text>`);
    lx += 16 + label.length * 6.2 + 14;
  }
  const title = t('comments.statisticsChart');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${title}" viewBox="0 0 ${Math.max(width, lx)} ${height}" width="100%" font-family="PT Sans, Arial, sans-serif"><title>${title}</title>${parts.join('')}</svg>`;
}
