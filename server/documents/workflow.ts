// The document lifecycle (docs/architecture.md) as one table. Services ask checkTransition before the conditional
// update; nothing else decides which move is allowed. Display names live in the locale files under
// workflow.state.<state> and workflow.transition.<name>; reasons and guards are stable codes for them.
//
// Stage codes follow ISO's harmonised scheme. The first comment round is the committee stage (30.20
// comments, 30.60 resolution); every later round is the enquiry stage (40.20 / 40.60). A failed ballot
// returns to resolution at the stage of the current round.

export const DOCUMENT_STATES = [
  'draft', 'comment', 'resolution', 'ballot', 'approved', 'published', 'withdrawn', 'cancelled',
] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];
export type Actor = 'secretariat' | 'system';

export interface StateInfo {
  /** Stage code given the comment round (1 = first circulation). */
  stage: (round: number) => string;
  terminal: boolean;
  /** Clauses of the current revision may be edited. */
  editable: boolean;
  /** Visible to manufacturers and anonymous visitors. */
  public: boolean;
}

const fixed = (code: string) => () => code;
const byRound = (committee: string, enquiry: string) => (round: number) => (round <= 1 ? committee : enquiry);

export const STATES: Readonly<Record<DocumentState, StateInfo>> = {
  draft: { stage: fixed('20.20'), terminal: false, editable: true, public: false },
  comment: { stage: byRound('30.20', '40.20'), terminal: false, editable: false, public: false },
  resolution: { stage: byRound('30.60', '40.60'), terminal: false, editable: false, public: false },
  ballot: { stage: fixed('50.20'), terminal: false, editable: false, public: false },
  approved: { stage: fixed('50.60'), terminal: false, editable: false, public: false },
  published: { stage: fixed('60.60'), terminal: false, editable: false, public: true },
  withdrawn: { stage: fixed('95.99'), terminal: true, editable: false, public: true },
  cancelled: { stage: fixed('20.98'), terminal: true, editable: false, public: false },
};

/** What the service knows when it asks; each guard reads only this. */
export interface WorkflowContext {
  /** Comments of the current round without a disposition. */
  openComments: number;
  /** Problems that block circulation: validateClauses issues plus dangling references. */
  revisionIssues: number;
  /** The comment deadline has passed (the system closes comments only then). */
  deadlinePassed: boolean;
  /** The tally of the open ballot, if any. */
  ballotResult?: 'approved' | 'failed' | 'pending';
}

export const GUARDS = {
  revisionValid: { test: (c: WorkflowContext) => c.revisionIssues === 0, message: 'the revision has unresolved problems' },
  everyCommentDisposed: { test: (c: WorkflowContext) => c.openComments === 0, message: 'some comments have no disposition yet' },
  deadlinePassed: { test: (c: WorkflowContext) => c.deadlinePassed, message: 'the comment deadline has not passed' },
  ballotApproved: { test: (c: WorkflowContext) => c.ballotResult === 'approved', message: 'the ballot has not approved the revision' },
  ballotFailed: { test: (c: WorkflowContext) => c.ballotResult === 'failed', message: 'the ballot has not failed' },
} as const;
export type GuardName = keyof typeof GUARDS;

export interface Transition {
  name: string;
  from: DocumentState;
  to: DocumentState;
  actors: readonly Actor[];
  guards: readonly GuardName[];
  /** The service freezes the current revision (it can never change again). */
  freezesRevision?: boolean;
  /** Starts a new comment round (round + 1). */
  startsRound?: boolean;
  /** The service opens a new draft document that supersedes this one; this one stays published. */
  startsSuccessor?: boolean;
}

const CANCELLABLE: DocumentState[] = ['draft', 'comment', 'resolution', 'ballot', 'approved'];

export const TRANSITIONS: readonly Transition[] = [
  { name: 'circulate', from: 'draft', to: 'comment', actors: ['secretariat'], guards: ['revisionValid'], freezesRevision: true, startsRound: true },
  { name: 'closeComments', from: 'comment', to: 'resolution', actors: ['secretariat'], guards: [] },
  { name: 'commentDeadline', from: 'comment', to: 'resolution', actors: ['system'], guards: ['deadlinePassed'] },
  { name: 'newRound', from: 'resolution', to: 'draft', actors: ['secretariat'], guards: [] },
  { name: 'openBallot', from: 'resolution', to: 'ballot', actors: ['secretariat'], guards: ['everyCommentDisposed', 'revisionValid'], freezesRevision: true },
  { name: 'approve', from: 'ballot', to: 'approved', actors: ['system'], guards: ['ballotApproved'] },
  { name: 'failBallot', from: 'ballot', to: 'resolution', actors: ['system'], guards: ['ballotFailed'] },
  { name: 'publish', from: 'approved', to: 'published', actors: ['secretariat'], guards: [] },
  { name: 'amend', from: 'published', to: 'published', actors: ['secretariat'], guards: [], startsSuccessor: true },
  { name: 'withdraw', from: 'published', to: 'withdrawn', actors: ['secretariat'], guards: [] },
  // When a successor is published, the system withdraws the document it supersedes.
  { name: 'supersede', from: 'published', to: 'withdrawn', actors: ['system'], guards: [] },
  ...CANCELLABLE.map((from): Transition => ({ name: 'cancel', from, to: 'cancelled', actors: ['secretariat'], guards: [] })),
];

export const isDocumentState = (s: string): s is DocumentState => (DOCUMENT_STATES as readonly string[]).includes(s);

export function stageOf(state: DocumentState, round: number): string {
  return STATES[state].stage(round);
}

export function transitionsFrom(state: DocumentState): Transition[] {
  return TRANSITIONS.filter((t) => t.from === state);
}

export function findTransition(from: DocumentState, name: string): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.name === name);
}

export interface TransitionRequest {
  state: string;
  name: string;
  actor: Actor;
  context: WorkflowContext;
  /** Comment rounds held so far (0 before the first circulation). */
  round: number;
}

export type TransitionCheck =
  | { ok: true; transition: Transition; to: DocumentState; stage: string; round: number }
  | { ok: false; reason: 'unknown' | 'notAllowedFromState' | 'forbiddenActor' | 'guard'; guard?: GuardName; message: string };

export function checkTransition({ state, name, actor, context, round }: TransitionRequest): TransitionCheck {
  if (!isDocumentState(state)) return { ok: false, reason: 'unknown', message: `unknown state "${state}"` };
  if (!TRANSITIONS.some((t) => t.name === name)) return { ok: false, reason: 'unknown', message: `unknown transition "${name}"` };
  const t = findTransition(state, name);
  if (!t) return { ok: false, reason: 'notAllowedFromState', message: `cannot ${name} a document in state ${state}` };
  if (!t.actors.includes(actor)) return { ok: false, reason: 'forbiddenActor', message: `${name} is not for the ${actor}` };
  for (const guard of t.guards) {
    if (!GUARDS[guard].test(context)) return { ok: false, reason: 'guard', guard, message: `cannot ${name}: ${GUARDS[guard].message}` };
  }
  const nextRound = t.startsRound ? round + 1 : round;
  return { ok: true, transition: t, to: t.to, stage: stageOf(t.to, nextRound), round: nextRound };
}
