// Registered manufacturers follow product groups; when a standard in one of them is published, amended
// or withdrawn, each follower gets one e-mail (server/notices, kind 'catalogue').
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { InvalidInput } from '../errors.js';
import { translate } from '../i18n/index.js';
import type { Notices } from '../notices/index.js';
import { noticeRecipients } from '../users/service.js';
import type { CatalogueEntry, FeedEventKind } from './catalogue.js';
import { Subscription } from './model.js';
import { productGroupNames } from './store.js';

export const messages = { unknownGroup: 'catalogue.error.unknownGroup' } as const;

export async function subscribedGroups(actor: CurrentUser): Promise<string[]> {
  const s = await Subscription.findOne({ user: actor.id }).select({ groups: 1 }).lean<{ groups: string[] }>();
  return s?.groups ?? [];
}

/** Replaces the person's subscriptions with these groups; a code that is no product group is refused. */
export async function setSubscriptions(actor: CurrentUser, codes: readonly string[]): Promise<string[]> {
  let known = new Set((await productGroupNames()).map((g) => g.code));
  const missing = codes.find((c) => !known.has(c));
  if (missing) known = new Set((await productGroupNames(missing)).map((g) => g.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) throw new InvalidInput(messages.unknownGroup, { value: unknown.join(', ') }, { groups: messages.unknownGroup });
  const groups = [...new Set(codes)].sort();
  await Subscription.updateOne({ user: actor.id }, { $set: { groups } }, { upsert: true }).catch(async (err: { code?: number }) => {
    // Two saves of a first subscription at once: the loser updates the record the winner made.
    if (err?.code !== 11000) throw err;
    await Subscription.updateOne({ user: actor.id }, { $set: { groups } });
  });
  return groups;
}

/**
 * Mails everyone who follows the document's product group (for an amendment, the replaced version's
 * group too). Once per event and person: the notices record each key before they send.
 */
export async function notifySubscribers(notices: Notices, kind: FeedEventKind | 'amendment', entry: CatalogueEntry, replaced?: CatalogueEntry, custom?: { key: string; what: (locale: 'ru' | 'en') => string }): Promise<number> {
  const groups = [...new Set([entry.productGroup, replaced?.productGroup].filter((g): g is string => !!g))];
  const followers = await Subscription.find({ groups: mongoose.trusted({ $in: groups }) }).select({ user: 1 }).lean<{ user: mongoose.Types.ObjectId }[]>();
  if (!followers.length) return 0;
  const ids = new Set(followers.map((f) => String(f.user)));
  const to = (await noticeRecipients({ roles: ['manufacturer'] }, 'catalogue')).filter((r) => ids.has(String(r._id)));
  const names = await productGroupNames();
  const group = names.find((g) => g.code === entry.productGroup)?.name ?? { ru: entry.productGroup, en: entry.productGroup };
  // An amendment says what it changed (docs/amendments.md); the other events are one phrase each.
  const what = custom?.what ?? ((locale: 'ru' | 'en') =>
    translate(locale, `catalogue.mail.${kind}`, { replaced: replaced?.designation ?? '', reason: entry.withdrawal?.reason ?? '' }));
  return notices.send({
    key: custom?.key ?? `catalogue:${kind}:${entry.id}`,
    kind: 'catalogue',
    to,
    params: {
      designation: entry.designation,
      titleRu: entry.titles.ru,
      titleEn: entry.titles.en,
      groupRu: group.ru,
      groupEn: group.en,
      whatRu: what('ru'),
      whatEn: what('en'),
    },
    link: `/catalogue/${entry.id}`,
  });
}
