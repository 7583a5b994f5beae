// The work programme feature (docs/programme.md): the plan, the late documents and the weekly e-mail about them.
export { lateDocuments, lateStagesText, plan, type LateDocument, type PlanRow } from './service.js';
export { sendLateReports } from './weekly.js';
