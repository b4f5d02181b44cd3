/**
 * The forms of the user tasks, one per form key of processes/catalogue.ts. The task inbox renders a task's form
 * with renderForm, validates a submission with validateSubmission and completes the user-task job with the
 * variables it returns (or throws the action's BPMN error). The "save-draft" button (SAVE_DRAFT_ACTION) is no
 * action: the inbox keeps draftValues(body) itself and shows them again through renderForm's values.
 */
export type { FieldSchema, FieldOption, FieldType, FormAction, FormDefinition, Localized } from './schema';
export { FORM_KEYS, SAVE_DRAFT_ACTION, UnknownFormActionError, UnknownFormError, formDefinition } from './registry';
export { draftValues, validateSubmission, type SubmissionResult } from './validate';
export { renderForm, type RenderOptions } from './render';
