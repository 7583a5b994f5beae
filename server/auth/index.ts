// What the auth feature offers the others (docs/architecture.md, import rules): who is calling, the route
// guards, and ending a person's sessions, links and tokens (the users feature does that on a password change
// or deactivation). auth/service.ts is not re-exported: it uses the users service, which uses this file.
export type { CurrentUser } from './current-user.js';
export { anyone, anySignedIn, role, signedIn } from './guards.js';
export { revokeAllApiTokens } from './api-tokens.js';
export { issueLink } from './links.js';
export { endSessionsOf, hasSessionCookie, refreshSessionsOf, sessionCookie } from './sessions.js';
