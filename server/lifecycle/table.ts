// The document lifecycle (docs/architecture.md, «A document's life») as one table: which move leads where,
// who may make it, which guards must hold (each naming the facts it reads) and which effects it has.
// server/lifecycle/index.ts carries the moves out; nothing else decides which move is allowed. Display names live in the locale files under
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

/** What the lifecycle knows when it asks; each guard reads only its own part of this. */
export interface WorkflowContext {
  /** Comments of the current round without a disposition. */
  openComments: number;
  /** Problems that block circulation: validateClauses issues plus dangling references. */
  revisionIssues: number;
  /** The quality check's findings that refuse this move (server/text/quality.ts, weighed for the move). */
  qualityErrors: number;
  /** Its findings that the person making the move must accept. */
  qualityWarnings: number;
  /** The person making the move accepted the warnings (a move's input, not a fact). */
  warningsAccepted: boolean;
  /** The comment deadline has passed (the system closes comments only then). */
  deadlinePassed: boolean;
  /** The tally of the open ballot, if any. */
  ballotResult?: 'approved' | 'failed' | 'pending';
}

/**
 * Where the facts come from: `revision` (the text of the current revision), `comments` (the round's
 * comments), `ballot` (the tally), `period` (the document's own comment period, no query). A move asks
 * only the sources its own guards name (server/lifecycle/facts.ts).
 */
export type FactSource = 'revision' | 'comments' | 'ballot' | 'period';

interface Guard {
  facts: FactSource;
  test: (c: WorkflowContext) => boolean;
  message: string;
}

export const GUARDS = {
  revisionValid: { facts: 'revision', test: (c) => c.revisionIssues === 0, message: 'the revision has unresolved problems' },
  qualityChecked: { facts: 'revision', test: (c) => c.qualityErrors === 0 && (c.qualityWarnings === 0 || c.warningsAccepted), message: 'the quality check found what must be finished or accepted' },
  everyCommentDisposed: { facts: 'comments', test: (c) => c.openComments === 0, message: 'some comments have no disposition yet' },
  deadlinePassed: { facts: 'period', test: (c) => c.deadlinePassed, message: 'the comment deadline has not passed' },
  ballotApproved: { facts: 'ballot', test: (c) => c.ballotResult === 'approved', message: 'the ballot has not approved the revision' },
  ballotFailed: { facts: 'ballot', test: (c) => c.ballotResult === 'failed', message: 'the ballot has not failed' },
} as const satisfies Record<string, Guard>;
export type GuardName = keyof typeof GUARDS;

/**
 * What a move does besides changing state, carried out by server/lifecycle/effects.ts:
 * - freezeRevision: the current revision can never change again (before the move is committed);
 * - openCommentPeriod / openBallot: the period's dates (and the ballot's rule) are set with the move;
 * - startSuccessor: a new draft that supersedes this document is made first (its id chosen by the caller);
 * - supersedePredecessor: after the move, the published document this one amends is withdrawn ('supersede').
 */
export type EffectName = 'freezeRevision' | 'openCommentPeriod' | 'openBallot' | 'startSuccessor' | 'supersedePredecessor';

export interface Transition {
  name: string;
  from: DocumentState;
  to: DocumentState;
  actors: readonly Actor[];
  guards: readonly GuardName[];
  effects: readonly EffectName[];
  /** Starts a new comment round (round + 1). */
  startsRound?: boolean;
  /**
   * A move with a form and a use-case of its own (server/publishing): the generic transition form may
   * not make it, and is told where to go (the message key).
   */
  dedicated?: string;
  /** A move that must say why (cancelling a document): refused without a note, and the note is kept in the history. */
  needsReason?: boolean;
}

const CANCELLABLE: DocumentState[] = ['draft', 'comment', 'resolution', 'ballot', 'approved'];

export const TRANSITIONS: readonly Transition[] = [
  { name: 'circulate', from: 'draft', to: 'comment', actors: ['secretariat'], guards: ['revisionValid', 'qualityChecked'], effects: ['freezeRevision', 'openCommentPeriod'], startsRound: true },
  { name: 'closeComments', from: 'comment', to: 'resolution', actors: ['secretariat'], guards: [], effects: [] },
  { name: 'commentDeadline', from: 'comment', to: 'resolution', actors: ['system'], guards: ['deadlinePassed'], effects: [] },
  { name: 'newRound', from: 'resolution', to: 'draft', actors: ['secretariat'], guards: [], effects: [] },
  { name: 'openBallot', from: 'resolution', to: 'ballot', actors: ['secretariat'], guards: ['everyCommentDisposed', 'revisionValid', 'qualityChecked'], effects: ['freezeRevision', 'openBallot'] },
  { name: 'approve', from: 'ballot', to: 'approved', actors: ['system'], guards: ['ballotApproved'], effects: [] },
  { name: 'failBallot', from: 'ballot', to: 'resolution', actors: ['system'], guards: ['ballotFailed'], effects: [] },
  { name: 'publish', from: 'approved', to: 'published', actors: ['secretariat'], guards: ['qualityChecked'], effects: ['supersedePredecessor'], dedicated: 'publishing.useForm.publish' },
  { name: 'amend', from: 'published', to: 'published', actors: ['secretariat'], guards: [], effects: ['startSuccessor'], dedicated: 'publishing.useForm.amend' },
  { name: 'withdraw', from: 'published', to: 'withdrawn', actors: ['secretariat'], guards: [], effects: [], dedicated: 'publishing.useForm.withdraw' },
  // When a successor is published, the system withdraws the document it supersedes.
  { name: 'supersede', from: 'published', to: 'withdrawn', actors: ['system'], guards: [], effects: [], dedicated: 'publishing.useForm.supersede' },
  ...CANCELLABLE.map((from): Transition => ({ name: 'cancel', from, to: 'cancelled', actors: ['secretariat'], guards: [], effects: [], needsReason: true })),
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

/** The fact sources the guards of a move read: all a move asks for before it is decided. */
export function factsFor(t: Pick<Transition, 'guards'>): FactSource[] {
  return [...new Set(t.guards.map((g) => GUARDS[g].facts))];
}

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

/**
 * The work programme's stages (docs/programme.md): the four dates the committee plans for each document.
 * A stage is reached when the document first enters the state named here; `progress` orders the states
 * along the way to publication, so a document further on has reached every stage before (withdrawal
 * follows publication; a cancelled document is out of the programme and reaches nothing more).
 */
export const PROGRAMME_STAGES = ['circulation', 'commentsEnd', 'ballot', 'publication'] as const;
export type ProgrammeStage = (typeof PROGRAMME_STAGES)[number];

export const STAGE_REACHED_IN: Readonly<Record<ProgrammeStage, DocumentState>> = {
  circulation: 'comment',
  commentsEnd: 'resolution',
  ballot: 'ballot',
  publication: 'published',
};

const PROGRESS: Readonly<Record<DocumentState, number>> = { draft: 0, comment: 1, resolution: 2, ballot: 3, approved: 4, published: 5, withdrawn: 5, cancelled: -1 };

/** Whether a document in this state stands at or past the stage (without its history: see docs/programme.md). */
export function stateHasReached(state: DocumentState, stage: ProgrammeStage): boolean {
  return PROGRESS[state] >= PROGRESS[STAGE_REACHED_IN[stage]];
}

/** A document in this state is still on its way through the programme (neither published nor ended). */
export function inProgramme(state: DocumentState): boolean {
  return !STATES[state].terminal && state !== 'published';
}
