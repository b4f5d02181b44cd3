/** All form definitions by form key, and the errors callers turn into 404 (unknown form) and 400 (unknown action). */
import type { FormAction, FormDefinition } from './schema';
import { complaintForms } from './definitions/complaint';
import { intakeForms } from './definitions/intake';
import { serviceForms } from './definitions/service';

const DEFINITIONS = new Map<string, FormDefinition>();
for (const definition of [...complaintForms, ...intakeForms, ...serviceForms]) {
  if (DEFINITIONS.has(definition.key)) throw new Error(`forms: form key "${definition.key}" is defined twice`);
  DEFINITIONS.set(definition.key, definition);
}

export const FORM_KEYS: readonly string[] = [...DEFINITIONS.keys()];

/**
 * The button every form shows for keeping the input without finishing the task. It is no FormAction: the task
 * inbox stores the draft itself (see draftValues) and must not pass it to validateSubmission.
 */
export const SAVE_DRAFT_ACTION = 'save-draft';

export class UnknownFormError extends Error {
  constructor(readonly formKey: string) {
    super(`unknown form key "${formKey}"`);
    this.name = 'UnknownFormError';
  }
}

export class UnknownFormActionError extends Error {
  constructor(
    readonly formKey: string,
    readonly actionId: string,
  ) {
    super(
      actionId === SAVE_DRAFT_ACTION
        ? `"${SAVE_DRAFT_ACTION}" of form "${formKey}" is no action to validate: the caller stores drafts itself`
        : `form "${formKey}" has no action "${actionId}"`,
    );
    this.name = 'UnknownFormActionError';
  }
}

export function formDefinition(key: string): FormDefinition | undefined {
  return DEFINITIONS.get(key);
}

export function requireFormDefinition(key: string): FormDefinition {
  const definition = DEFINITIONS.get(key);
  if (definition === undefined) throw new UnknownFormError(key);
  return definition;
}

export function requireFormAction(definition: FormDefinition, actionId: string): FormAction {
  const action = definition.actions.find((a) => a.id === actionId);
  if (action === undefined) throw new UnknownFormActionError(definition.key, actionId);
  return action;
}
