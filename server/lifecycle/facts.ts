// The facts a move's guards read, from the features that own them. Each provider answers for one source
// of server/lifecycle/table.ts (`FactSource`); a move asks only the sources its own guards name, so
// closing comments reads no comment and no revision, and circulating counts no comment.
import type { DocumentRecord } from '../documents/model.js';
import type { FactSource, GuardName, WorkflowContext } from './table.js';

/** One thing that blocks a guard, with where to see it (e.g. one comment without a disposition). */
export interface Blocker {
  label: string;
  href: string;
}

export interface FactProvider {
  /**
   * The facts of this source for the document as it is. `refusal`, when given, is the error to answer
   * with if a guard of this source refuses — more telling than the guard's name (e.g. which character
   * of which clause no font prints).
   */
  facts(doc: DocumentRecord, now: Date, move: string): Promise<Partial<WorkflowContext> & { refusal?: Error }>;
  /** Item by item, what blocks a guard of this source, so a refusal page can list it with links. */
  blockers?(guard: GuardName, doc: DocumentRecord, move?: string, locale?: 'ru' | 'en'): Promise<Blocker[]>;
}

/** Supplied by the features: `revision` by documents, `comments` by comments, `ballot` by ballots. */
export type FactProviders = Record<Exclude<FactSource, 'period'>, FactProvider>;

/** The comment deadline is on the document itself: no query. */
export const periodFacts: FactProvider = {
  async facts(doc, now) {
    return { deadlinePassed: !!doc.commentPeriod && doc.commentPeriod.closesAt.getTime() <= now.getTime() };
  },
};

/** What a guard reads when its source was not asked: never consulted, since checkTransition reads only its own. */
export const unasked: WorkflowContext = { openComments: 0, revisionIssues: 0, qualityErrors: 0, qualityWarnings: 0, warningsAccepted: false, deadlinePassed: false };
