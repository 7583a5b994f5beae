// The administrator's list of people, a page at a time: found by words of the name or e-mail, filtered by
// delegation, role and status (active, invited, deactivated), in the order of names. Every combination is
// read through an index on MongoDB (model.ts; test/integration/index-coverage.test.ts checks each).
import { z } from 'zod';
import { mongoose } from '../db/mongoose.js';
import { InvalidInput } from '../errors.js';
import { API_PAGE_SIZE_PATTERN, messages as pagingMessages, PAGE_PATTERN, readPage, sliceOf, type PageSlice } from '../http/paging.js';
import { roles, User, type Role, type UserRecord } from './model.js';
import { prefixPattern, searchTerms } from './search-words.js';
import { publicUserFields, toPublicUser, type PublicUser } from './service.js';

export const userStatuses = ['active', 'invited', 'deactivated'] as const;
export type UserStatus = (typeof userStatuses)[number];

/** Rows of the people page. */
export const PEOPLE_PAGE_SIZE = 50;

export const messages = {
  q: 'users.filter.badQuery',
  delegation: 'users.filter.badDelegation',
  role: 'users.filter.badRole',
  status: 'users.filter.badStatus',
  page: pagingMessages.badPage,
  pageSize: pagingMessages.badPageSize,
} as const;

/** The list's query as the page's form and the JSON API take it (each value once; the OpenAPI document shows this). */
export const peopleQuery = z.object({
  q: z.string().max(100).optional(),
  delegation: z.string().regex(/^[A-Z]{2,3}$/).optional(),
  role: z.enum(roles).optional(),
  status: z.enum(userStatuses).optional(),
  page: z.string().regex(PAGE_PATTERN).optional(),
});
/** 1 to 500 rows a page. */
export const apiPeopleQuery = peopleQuery.extend({ pageSize: z.string().regex(API_PAGE_SIZE_PATTERN).optional() });

export interface PeopleFilter {
  q?: string;
  /** A delegation's code (BY, RU…). */
  delegation?: string;
  role?: Role;
  status?: UserStatus;
}

/**
 * The filter and page of a query string; a value the list does not take is refused (422) naming its field.
 * The page's form sends a choice left at «all» as an empty value (`fromForm`); a JSON caller leaves it out.
 */
export function peopleFilterOf(query: Record<string, unknown>, fromForm: boolean): { filter: PeopleFilter; page: number; pageSize?: number } {
  const given = fromForm ? Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '')) : query;
  const r = (fromForm ? peopleQuery : apiPeopleQuery).safeParse(given);
  if (!r.success) {
    const field = String(r.error.issues[0]?.path[0] ?? 'q') as keyof typeof messages;
    const key = messages[field] ?? messages.q;
    throw new InvalidInput(key, { max: 500 }, { [field]: key });
  }
  const v = r.data as z.infer<typeof apiPeopleQuery>;
  const q = v.q?.trim();
  return {
    filter: { ...(q ? { q } : {}), ...(v.delegation ? { delegation: v.delegation } : {}), ...(v.role ? { role: v.role } : {}), ...(v.status ? { status: v.status } : {}) },
    page: v.page ? Number(v.page) : 1,
    pageSize: v.pageSize ? Number(v.pageSize) : undefined,
  };
}

/** The query string of a filter (for the page links, which keep it). */
export function filterParams(f: PeopleFilter): Record<string, string | undefined> {
  return { q: f.q, delegation: f.delegation, role: f.role, status: f.status };
}

/**
 * The database filter: the delegation by its id, the status by `active` and whether a password is set,
 * the search as one prefix range per word on the stored words.
 */
export function peopleCondition(f: PeopleFilter, delegationId?: mongoose.Types.ObjectId): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (delegationId) q.delegation = delegationId;
  if (f.role) q.role = f.role;
  if (f.status === 'deactivated') q.active = false;
  else if (f.status === 'invited') Object.assign(q, { active: true, passwordHash: null });
  else if (f.status === 'active') Object.assign(q, { active: true, passwordHash: mongoose.trusted({ $ne: null }) });
  const terms = f.q ? searchTerms(f.q) : [];
  if (terms.length === 1) q.searchWords = prefixPattern(terms[0]!);
  else if (terms.length > 1) q.$and = terms.map((t) => ({ searchWords: prefixPattern(t) }));
  return q;
}

/** By name; namesakes by _id, the same on every page. */
const peopleOrder = { name: 1, _id: 1 } as const;

/**
 * One page of the people the filter selects, and how many it selects. `delegationIdOf` gives the id of a
 * delegation's code (undefined for a code no delegation has: then nobody is selected).
 */
export async function listPeople(f: PeopleFilter, page: number, pageSize: number, delegationIdOf: (code: string) => mongoose.Types.ObjectId | undefined): Promise<{ users: PublicUser[]; slice: PageSlice }> {
  const delegationId = f.delegation ? delegationIdOf(f.delegation) : undefined;
  if (f.delegation && !delegationId) return { users: [], slice: sliceOf(0, page, pageSize) };
  const q = peopleCondition(f, delegationId);
  const count = Object.keys(q).length ? User.countDocuments(q) : User.estimatedDocumentCount();
  const { rows, slice } = await readPage(count, (skip, limit) => User.find(q).select(publicUserFields).sort(peopleOrder).skip(skip).limit(limit).lean<UserRecord[]>(), page, pageSize);
  return { users: rows.map(toPublicUser), slice };
}
