// The users feature's vocabulary for other features: the roles, the kinds of notice and the shape of an
// account. Other features import these from here and call the operations in service.ts; none imports
// model.ts (docs/architecture.md, import rules). service.ts is not re-exported here: auth's link helpers,
// which service.ts uses, import these types, and the re-export would make that an import cycle.
export { delegationRoles, noticeKinds, roles, type NoticeKind, type Role, type UserRecord } from './model.js';
export { searchWordsOf } from './search-words.js';
