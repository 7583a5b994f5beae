// The committee feature's service: its settings (approval rule, designation prefix, ballot days).
export { approvalRules, committeeSettings, defaultSettings, saveCommitteeSettings, type ApprovalRule, type CommitteeSettings } from './settings.js';
