// The committee feature's service: its settings (approval rule, designation prefix, ballot days, the work programme's default durations).
export { approvalRules, committeeSettings, defaultSettings, programmeDurations, saveCommitteeSettings, type ApprovalRule, type CommitteeSettings } from './settings.js';
