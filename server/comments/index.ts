// What the comments feature offers the others (docs/architecture.md, import rules): they import this
// file (or service.ts), never the model or the routes. Files inside server/comments/ never import it.
export { commentFacts, commentForAgenda, referredComments, setDisposition, type DispositionInput, type ReferredComment } from './dispositions.js';
export { decisions, decisionsNeedingReason, type Decision } from './model.js';
export { periodNotices, sweepCommentPeriods, reminderDays } from './period.js';
export { addReleasedComment, numbered, releasePosition, type SystemComment } from './position.js';
export { orderKey } from './order.js';
export * from './service.js';
export { clauseComments, type ClauseComments } from './by-clause.js';
export { answersOpen, openDisagreements, unansweredCountsOf } from './answers.js';
export { appliedComments, type AppliedComment } from './apply.js';
