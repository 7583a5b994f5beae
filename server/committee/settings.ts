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
  /** Days a ballot stays open unless the secretariat says otherwise. */
  ballotDays: number;
}

export const defaultSettings: CommitteeSettings = { approvalRule: 'unanimity', designationPrefix: 'СТ СГ', ballotDays: 30 };

export async function committeeSettings(): Promise<CommitteeSettings> {
  const doc = await Setting.findById('committee').select({ value: 1 }).lean<{ value?: Partial<CommitteeSettings> }>();
  return { ...defaultSettings, ...(doc?.value ?? {}) };
}

export async function saveCommitteeSettings(value: CommitteeSettings): Promise<void> {
  await Setting.updateOne({ _id: 'committee' }, { $set: { value } }, { upsert: true });
}
