// The work programme on a document (docs/programme.md): its target day of each stage, made from the
// committee's default durations when the document is created and changed by the secretariat afterwards,
// and what the document has done against them — the day it reached each stage, and the stages it is late on.
import type { CurrentUser } from '../auth/index.js';
import { committeeSettings, type CommitteeSettings } from '../committee/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, InvalidInput, InvalidTransition } from '../errors.js';
import { historyEvent, pushEvent } from '../lifecycle/history.js';
import { inProgramme, PROGRAMME_STAGES, STAGE_REACHED_IN, STATES, stateHasReached, type DocumentState, type ProgrammeStage } from '../lifecycle/table.js';
import { addDays, dayOf, parseDay, type Day } from '../time/days.js';
import { formatDay } from '../time/format.js';
import { DocumentModel, type DocumentRecord, type ProgrammeTargets } from './model.js';
import { getDocument, messages } from './service.js';

export type { ProgrammeStage, ProgrammeTargets };
export { PROGRAMME_STAGES };

type Durations = Pick<CommitteeSettings, 'draftingDays' | 'commentDays' | 'resolutionDays' | 'ballotDays' | 'publicationDays'>;

/**
 * The target days of a document started on `start`: circulation after the drafting time, the end of comments
 * a comment period later, the ballot after the resolution time, publication after the ballot and the
 * time to publish.
 */
export function targetsFrom(start: Day, d: Durations): ProgrammeTargets {
  const circulation = addDays(start, d.draftingDays);
  const commentsEnd = addDays(circulation, d.commentDays);
  const ballot = addDays(commentsEnd, d.resolutionDays);
  const publication = addDays(ballot, d.ballotDays + d.publicationDays);
  return { circulation, commentsEnd, ballot, publication };
}

/** The targets a new document gets: from the committee's durations, counted from the day it is made. */
export async function newTargets(now: Date): Promise<ProgrammeTargets> {
  return targetsFrom(dayOf(now), await committeeSettings());
}

export interface StageProgress {
  stage: ProgrammeStage;
  target: Day;
  /** The committee day the document first reached the stage, when it has. */
  actual?: Day;
  reached: boolean;
  /** The target day has passed (it is before today) and the stage is not reached. */
  late: boolean;
}

export interface DocumentProgramme {
  stages: StageProgress[];
  /** The targets were not stored (a document made before the programme): computed from its creation day and today's durations. */
  computed: boolean;
  late: ProgrammeStage[];
}

type ProgrammeSource = Pick<DocumentRecord, 'state' | 'history' | 'targets' | 'createdAt'>;

/** The first day the history shows the document entering a state. */
function firstEntered(history: ProgrammeSource['history'], state: DocumentState): Day | undefined {
  const e = history.find((h) => h.to === state);
  return e ? dayOf(new Date(e.at)) : undefined;
}

/**
 * Where the document stands against its targets on `today`. A stage is reached when the history shows the
 * document entering its state (STAGE_REACHED_IN) or the document's state is past it; it is late when its
 * target day is before today, it is not reached, and the document is still in the programme (not
 * published, withdrawn or cancelled).
 */
export function programmeOf(doc: ProgrammeSource, settings: Durations, today: Day): DocumentProgramme {
  const stored = doc.targets && PROGRAMME_STAGES.every((s) => doc.targets![s]) ? doc.targets : null;
  const targets = stored ?? targetsFrom(dayOf(new Date(doc.createdAt)), settings);
  const open = inProgramme(doc.state);
  const stages = PROGRAMME_STAGES.map((stage): StageProgress => {
    const actual = firstEntered(doc.history ?? [], STAGE_REACHED_IN[stage]);
    const reached = !!actual || stateHasReached(doc.state, stage);
    return { stage, target: targets[stage], actual, reached, late: open && !reached && targets[stage] < today };
  });
  return { stages, computed: !stored, late: stages.filter((s) => s.late).map((s) => s.stage) };
}

/** The programme of one document as the page shows it: today's durations fill in targets it has not stored. */
export async function documentProgramme(doc: ProgrammeSource, now: Date): Promise<DocumentProgramme> {
  return programmeOf(doc, await committeeSettings(), dayOf(now));
}

const targetsMessage = {
  invalid: 'programme.invalidDay',
  order: 'programme.targetsOrder',
} as const;

/**
 * The secretariat sets a document's target days. Each must be a calendar day, and they must follow the
 * stages' order; the change is written in the history with the days before and after.
 */
export async function setTargets(actor: CurrentUser, id: string, input: Record<ProgrammeStage, string> & { rev?: number }, now: Date): Promise<void> {
  const doc = await getDocument(actor, id);
  if (STATES[doc.state].terminal) throw new InvalidTransition(messages.notEditable, { state: doc.state });
  const errors: Partial<Record<ProgrammeStage, string>> = {};
  const days = {} as ProgrammeTargets;
  for (const s of PROGRAMME_STAGES) {
    const d = parseDay(input[s].trim());
    if (d) days[s] = d;
    else errors[s] = targetsMessage.invalid;
  }
  if (Object.keys(errors).length) throw new InvalidInput(targetsMessage.invalid, {}, errors);
  PROGRAMME_STAGES.forEach((s, i) => {
    const before = PROGRAMME_STAGES[i - 1];
    if (before && days[s] < days[before]) errors[s] = targetsMessage.order;
  });
  if (Object.keys(errors).length) throw new InvalidInput(targetsMessage.order, {}, errors);
  const old = (await documentProgramme(doc, now)).stages;
  const changed = old.filter((o) => o.target !== days[o.stage]);
  if (!changed.length) return;
  // The note is kept in the committee's language, as the secretariat's own notes are.
  const note = changed.map((o) => `${stageWords[o.stage]}: ${formatDay(o.target, 'ru')} → ${formatDay(days[o.stage], 'ru')}`).join('; ');
  const filter: Record<string, unknown> = { _id: doc._id, state: doc.state };
  if (input.rev !== undefined) filter.rev = input.rev;
  const r = await DocumentModel.updateOne(filter, { $set: { targets: days }, $push: pushEvent(historyEvent({ at: now, actor, action: 'editTargets', revision: doc.currentRevision, note })) });
  if (r.matchedCount === 0) throw new Conflict(messages.movedMeanwhile);
}

const stageWords: Record<ProgrammeStage, string> = { circulation: 'рассылка на отзывы', commentsEnd: 'окончание отзывов', ballot: 'голосование', publication: 'публикация' };

export interface PlanFilter {
  productGroup?: string;
  state?: DocumentState;
}

export type PlanDocument = Pick<DocumentRecord, '_id' | 'titles' | 'productGroup' | 'state' | 'stage' | 'designation' | 'history' | 'targets' | 'createdAt' | 'updatedAt'>;

const planFields = { titles: 1, productGroup: 1, state: 1, stage: 1, designation: 1, history: 1, targets: 1, createdAt: 1, updatedAt: 1 } as const;

/** The documents of the plan, newest change first: all of them, or of one product group and/or state. */
export async function planDocuments(filter: PlanFilter): Promise<PlanDocument[]> {
  const q: Record<string, unknown> = {};
  if (filter.productGroup) q.productGroup = filter.productGroup;
  if (filter.state) q.state = filter.state;
  return DocumentModel.find(q).select(planFields).sort({ updatedAt: -1 }).lean<PlanDocument[]>();
}

/** The documents still in the programme (the late ones are among them), for the dashboard and the weekly mail. */
export async function documentsInProgramme(): Promise<PlanDocument[]> {
  const states = ['draft', 'comment', 'resolution', 'ballot', 'approved'] satisfies DocumentState[];
  return DocumentModel.find({ state: mongoose.trusted({ $in: states }) }).select(planFields).lean<PlanDocument[]>();
}
