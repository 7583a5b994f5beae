// What the review feature offers the others (docs/review.md): the review date and what needs attention, the sweep.
export { reviewDateFor, reviewsAwaiting, reviewsNeedingAttention, startAmendmentFromReview, sweepReviews } from './service.js';
