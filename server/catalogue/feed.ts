// The Atom feed (RFC 4287) of the catalogue: publications, amendments and withdrawals, newest first.
// Pure: events in, XML out; every piece of text is escaped, and characters XML cannot carry are dropped.
import { translate, type Locale } from '../i18n/index.js';
import type { FeedEvent } from './catalogue.js';
import type { Day } from '../time/days.js';
import { countryStatuses, statusPhrase } from './country-status.js';

// Control characters other than tab and line ends, lone surrogates and U+FFFE/U+FFFF are not XML.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export interface FeedOptions {
  /** Scheme and host the links are made absolute with, e.g. https://accord.example (from PUBLIC_URL). */
  origin: string;
  /** The tag: URI authority of every id (see feedAuthorityFromDatabase). */
  authority: string;
  /** The feed's own address (with its filter), for rel="self". */
  selfHref: string;
  locale: Locale;
  group?: { code: string; name: string };
  /** When the catalogue last changed: the feed's <updated> when it has no entries. */
  changedAt: Date;
  /** The day the feed is read on: each entry says what the standard is in each country that day. */
  today?: Day;
}

/** A tag: URI (RFC 4151) that stays the same for an event whatever the site's address becomes later. */
export function eventId(authority: string, ev: FeedEvent): string {
  return `tag:${authority},2025:catalogue/${ev.entry.id}/${ev.kind}`;
}

export function atomFeed(events: readonly FeedEvent[], opts: FeedOptions): string {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(opts.locale, key, params);
  const authority = opts.authority;
  const updated = events.reduce((max, ev) => (ev.at > max ? ev.at : max), events.length ? new Date(0) : opts.changedAt);
  const title = opts.group ? t('catalogue.feed.titleGroup', { group: opts.group.name }) : t('catalogue.feed.title');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${opts.locale}">`,
    `  <id>tag:${xmlEscape(authority)},2025:catalogue${opts.group ? `/group/${xmlEscape(opts.group.code)}` : ''}</id>`,
    `  <title>${xmlEscape(title)}</title>`,
    `  <subtitle>${xmlEscape(t('catalogue.feed.subtitle'))}</subtitle>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <author><name>${xmlEscape(t('app.committee'))}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(opts.selfHref)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(`${opts.origin}/catalogue${opts.group ? `?group=${encodeURIComponent(opts.group.code)}` : ''}`)}"/>`,
    `  <generator>Accord</generator>`,
  ];
  for (const ev of events) {
    const e = ev.entry;
    const docTitle = e.titles[opts.locale] || e.titles.ru;
    const href = `${opts.origin}/catalogue/${e.id}`;
    const summary =
      ev.kind === 'amended'
        ? t('catalogue.feed.summary.amended', { designation: e.designation, title: docTitle, replaced: ev.replaces?.designation ?? '' })
        : ev.kind === 'withdrawn'
          ? t('catalogue.feed.summary.withdrawn', { designation: e.designation, title: docTitle, reason: e.withdrawal?.reason ?? '' })
          : t('catalogue.feed.summary.published', { designation: e.designation, title: docTitle });
    const statuses = opts.today ? countryStatuses(e, opts.today).map((s) => `${s.country}: ${statusPhrase(s, opts.locale)}`).join('; ') : '';
    const summaryText = statuses ? `${summary} ${statuses}.` : summary;
    lines.push(
      '  <entry>',
      `    <id>${xmlEscape(eventId(authority, ev))}</id>`,
      `    <title>${xmlEscape(`${t(`catalogue.feed.kind.${ev.kind}`)}: ${e.designation} ${docTitle}`)}</title>`,
      `    <updated>${ev.at.toISOString()}</updated>`,
      `    <published>${ev.at.toISOString()}</published>`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(href)}"/>`,
      `    <category term="${xmlEscape(e.productGroup)}"/>`,
      `    <category term="${ev.kind}" scheme="${xmlEscape(`${opts.origin}/catalogue/feed.atom#event`)}"/>`,
      `    <summary type="text">${xmlEscape(summaryText)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
