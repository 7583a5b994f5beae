// What Accord hands its views for the two benchmarked pages, so that the ceiling app renders the very
// same thing from memory. Keep in step with server/auth/routes.ts and server/http/locals.ts.

/** The signed-in person of the benchmark: a BY delegation member with no API tokens. */
export const benchPerson = { name: 'Ирина Ковалёва', role: 'member', delegation: 'BY' } as const;

export function signInViewModel(csrf: string): Record<string, unknown> {
  return {
    // res.locals from pageLocals, for an anonymous visitor with no language cookie
    locale: 'ru',
    otherLocale: 'en',
    path: '/sign-in',
    csrf: () => csrf,
    // the route's own model
    title: 'auth.signIn',
    setupDone: false,
    values: { next: '/' },
  };
}

export function accountViewModel(csrf: string, personId: string): Record<string, unknown> {
  return {
    locale: 'ru',
    otherLocale: 'en',
    path: '/account',
    currentUser: { id: personId, ...benchPerson },
    isAdmin: false,
    csrf: () => csrf,
    title: 'account.title',
    tokens: [],
  };
}
