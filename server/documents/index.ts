// What the documents feature offers the others (docs/architecture.md, import rules): its service, the
// record types, templates, product groups and the committee deadline reader. The files it
// re-exports never import it; the lifecycle uses documents/model.ts directly (it writes the
// documents' state and history).
export * from './service.js';
export * from './drafting.js';
export * from './editing.js';
export * from './records.js';
export { amendmentChangesOf, editionsOf, recordConsolidatedEdition } from './editions.js';
export { documentProgramme, documentsInProgramme, planDocuments, programmeOf, PROGRAMME_STAGES, targetsFrom, type DocumentProgramme, type PlanDocument, type PlanFilter, type ProgrammeStage, type StageProgress } from './targets.js';
export type { DocumentRecord, EditionInfo, HistoryEvent, PublicationInfo, ReleasedPosition, RevisionRecord } from './model.js';
export { clausesFromTemplate, loadTemplates, templatesDir, type Template } from './templates.js';
export { activeProductGroup, listProductGroups, seedProductGroups } from './product-groups.js';
export { parseCommitteeDeadline } from './deadline.js';
export { clauseContentFromForm, clauseFormSchema, formValuesOf, fullPatch, type ClauseForm } from './clause-form.js';
