// The committee feature's service: its routes and the features that need the settings (documents,
// publishing) read and write them only through these functions (docs/architecture.md, import rules).
import { Setting } from '../db/settings-model.js';

/** How a ballot is decided (docs/architecture.md): unanimity of delegations, or the ISO two-thirds rule. */
export const approvalRules = ['unanimity', 'iso'] as const;
export type ApprovalRule = (typeof approvalRules)[number];

export interface CommitteeSettings {
  approvalRule: ApprovalRule;
  /** Designations are «<prefix> <n>-<year>», e.g. «СТ СГ 12-2027». */
  designationPrefix: string;
  /** Days a ballot stays open unless the secretariat says otherwise; also the ballot stage of the work programme. */
  ballotDays: number;
  /** The work programme's default durations in days (docs/programme.md): from creation to circulation, */
  draftingDays: number;
  /** the comment period (interstate practice: 60 days for a committee draft, reducible), */
  commentDays: number;
  /** from the end of comments to the ballot (resolving the comments), */
  resolutionDays: number;
  /** and from the end of the ballot to publication. */
  publicationDays: number;
  /** Systematic review (docs/review.md): years from entry into force (or the last confirmation) to the next review. */
  reviewYears: number;
}

export const defaultSettings: CommitteeSettings = {
  approvalRule: 'unanimity', designationPrefix: 'СТ СГ', ballotDays: 30, draftingDays: 90, commentDays: 60, resolutionDays: 60, publicationDays: 30, reviewYears: 5,
};

/** The durations the work programme plans with, in the order of the stages. */
export const programmeDurations = ['draftingDays', 'commentDays', 'resolutionDays', 'ballotDays', 'publicationDays'] as const;

export async function committeeSettings(): Promise<CommitteeSettings> {
  const doc = await Setting.findById('committee').select({ value: 1 }).lean<{ value?: Partial<CommitteeSettings> }>();
  return { ...defaultSettings, ...(doc?.value ?? {}) };
}

export async function saveCommitteeSettings(value: CommitteeSettings): Promise<void> {
  await Setting.updateOne({ _id: 'committee' }, { $set: { value } }, { upsert: true });
}
