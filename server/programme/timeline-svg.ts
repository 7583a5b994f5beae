// The plan's timeline: one line per document, its target days and the days it reached each stage, drawn on
// the server as plain SVG (no JavaScript). Readable without colour: a target is a hollow square, a reached
// stage a filled circle, a late stage a triangle with «!»; each mark carries the stage's letter, and each
// line a <title> that says all of it in words (docs/programme.md).
import { translate, type Locale } from '../i18n/index.js';
import { escapeHtml } from '../text/markup.js';
import { addDays, daysBetween, type Day } from '../time/days.js';
import { formatDay } from '../time/format.js';
import type { PlanRow } from './service.js';

const ROW = 34;
const LEFT = 220;
const WIDTH = 960;
const RIGHT = 24;
const TOP = 44;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** First days of months between two days, at most about six of them (an English date is long). */
function monthTicks(from: Day, to: Day): Day[] {
  const [y0, m0] = from.split('-').map(Number) as [number, number];
  const months = (Number(to.slice(0, 4)) - y0) * 12 + Number(to.slice(5, 7)) - m0 + 1;
  const step = Math.max(1, Math.ceil(months / 6));
  const ticks: Day[] = [];
  for (let i = 1; i <= months; i += step) {
    const y = y0 + Math.floor((m0 - 1 + i) / 12);
    const m = ((m0 - 1 + i) % 12) + 1;
    ticks.push(`${y}-${String(m).padStart(2, '0')}-01` as Day);
  }
  return ticks.filter((t) => t > from && t <= to);
}

export function timelineSvg(rows: readonly PlanRow[], today: Day, locale: Locale): string {
  const t = (k: string, p: Record<string, unknown> = {}) => escapeHtml(translate(locale, k, p));
  const days = rows.flatMap((r) => r.stages.flatMap((s) => (s.actual ? [s.target, s.actual] : [s.target])));
  days.push(today);
  const sorted = [...days].sort();
  const from = addDays(sorted[0]!, -7);
  const to = addDays(sorted.at(-1)!, 7);
  const span = Math.max(1, daysBetween(from, to));
  const plot = WIDTH - LEFT - RIGHT;
  const x = (d: Day) => (LEFT + (daysBetween(from, d) / span) * plot).toFixed(1);
  const height = TOP + rows.length * ROW + 74;
  const parts: string[] = [];
  // The months along the top, and a faint line down from each.
  for (const tick of monthTicks(from, to)) {
    parts.push(`<line x1="${x(tick)}" y1="${TOP - 8}" x2="${x(tick)}" y2="${TOP + rows.length * ROW}" stroke="#d9dde3" stroke-width="1"/>`);
    parts.push(`<text x="${x(tick)}" y="${TOP - 14}" font-size="11" text-anchor="middle" fill="#4a5563">${escapeHtml(formatDay(tick, locale))}</text>`);
  }
  rows.forEach((r, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const label = r.designation || r.title;
    const said = r.stages
      .map((s) => `${translate(locale, `programme.stage.${s.stage}`)}: ${translate(locale, 'programme.targetOn', { day: { day: s.target } })}${s.actual ? `, ${translate(locale, 'programme.actualOn', { day: { day: s.actual } })}` : ''}${s.late ? `, ${translate(locale, 'programme.late')}` : ''}`)
      .join('; ');
    const g: string[] = [`<title>${escapeHtml(`${r.title}. ${said}`)}</title>`];
    if (i % 2 === 0) g.push(`<rect x="0" y="${y - ROW / 2}" width="${WIDTH}" height="${ROW}" fill="#f5f7fa"/>`);
    g.push(`<text x="8" y="${y + 4}" font-size="12" fill="#1f2933">${escapeHtml(clip(label, 32))}</text>`);
    const first = r.stages[0]!.target;
    const last = r.stages.at(-1)!.target;
    g.push(`<line x1="${x(first)}" y1="${y}" x2="${x(last)}" y2="${y}" stroke="#9aa5b1" stroke-width="2"/>`);
    for (const s of r.stages) {
      const letter = t(`programme.letter.${s.stage}`);
      const tx = Number(x(s.target));
      if (s.late) {
        g.push(`<path d="M${tx} ${y - 8} L${tx + 8} ${y + 6} L${tx - 8} ${y + 6} Z" fill="#b42318"/><text x="${tx}" y="${y + 4}" font-size="10" font-weight="bold" text-anchor="middle" fill="#fff">!</text>`);
      } else {
        g.push(`<rect x="${tx - 5}" y="${y - 5}" width="10" height="10" fill="#fff" stroke="#3e4c59" stroke-width="1.5"/>`);
      }
      g.push(`<text x="${tx}" y="${y - 10}" font-size="10" text-anchor="middle" fill="#3e4c59">${letter}</text>`);
      if (s.actual) {
        const ax = Number(x(s.actual));
        g.push(`<circle cx="${ax}" cy="${y}" r="5" fill="#1d6b3a"/><text x="${ax}" y="${y + 16}" font-size="10" text-anchor="middle" fill="#1d6b3a">${letter}</text>`);
      }
    }
    parts.push(`<g data-test="timeline-row">${g.join('')}</g>`);
  });
  // Today, across every line.
  parts.push(`<line x1="${x(today)}" y1="${TOP - 8}" x2="${x(today)}" y2="${TOP + rows.length * ROW}" stroke="#1f5fbf" stroke-width="1.5" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${x(today)}" y="${TOP + rows.length * ROW + 14}" font-size="11" text-anchor="middle" fill="#1f5fbf">${t('programme.today', { day: { day: today } })}</text>`);
  // The legend, in words.
  const ly = TOP + rows.length * ROW + 36;
  const legend = [
    `<rect x="8" y="${ly - 9}" width="10" height="10" fill="#fff" stroke="#3e4c59" stroke-width="1.5"/><text x="24" y="${ly}" font-size="11">${t('programme.legendTarget')}</text>`,
    `<circle cx="213" cy="${ly - 4}" r="5" fill="#1d6b3a"/><text x="224" y="${ly}" font-size="11">${t('programme.legendActual')}</text>`,
    `<path d="M413 ${ly - 12} L421 ${ly + 2} L405 ${ly + 2} Z" fill="#b42318"/><text x="428" y="${ly}" font-size="11">${t('programme.legendLate')}</text>`,
    `<text x="8" y="${ly + 20}" font-size="11">${PROGRAMME_LETTERS.map((s) => `${t(`programme.letter.${s}`)} — ${t(`programme.stageLower.${s}`)}`).join(', ')}</text>`,
  ];
  parts.push(...legend);
  const late = rows.filter((r) => r.late.length).length;
  const title = t('programme.timelineTitle');
  const desc = t('programme.timelineDesc', { count: rows.length, late, from: { day: from }, to: { day: to } });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="plan-timeline-title plan-timeline-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" class="timeline" font-family="PT Sans, Arial, sans-serif"><title id="plan-timeline-title">${title}</title><desc id="plan-timeline-desc">${desc}</desc>${parts.join('')}</svg>`;
}

const PROGRAMME_LETTERS = ['circulation', 'commentsEnd', 'ballot', 'publication'] as const;
