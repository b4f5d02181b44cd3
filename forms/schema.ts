/**
 * The shape of a user-task form: the process variables it edits (fields), the buttons that finish it (actions),
 * and the process variables shown read-only beside it. The task inbox renders and validates forms through
 * forms/index.ts and completes the user-task job with the typed variables validation returns.
 */
import type { Locale } from '../server/i18n';

export type Localized = Record<Locale, string>;

export type FieldType = 'text' | 'textarea' | 'number' | 'integer' | 'boolean' | 'select' | 'date' | 'datetime' | 'phone' | 'email';

export interface FieldOption {
  value: string;
  label: Localized;
}

export interface FieldSchema {
  /** The process variable the field sets. */
  name: string;
  type: FieldType;
  label: Localized;
  required?: boolean;
  /** Required only while another field of the form has this value (e.g. a reason when approved = false). */
  requiredWhen?: { field: string; equals: string | boolean };
  maxLength?: number;
  min?: number;
  max?: number;
  /** The choices of a select; a submitted value must be one of them. */
  options?: FieldOption[];
  /** A select of several values (rendered as check boxes), sent as a list of strings. */
  multiple?: boolean;
}

export interface FormAction {
  id: string;
  label: Localized;
  kind: 'complete' | 'bpmnError';
  /** For bpmnError: the error code the model catches. */
  errorCode?: string;
  /** The fields this action validates and sends (default: all of the form's fields). */
  fields?: string[];
  /**
   * Fields this action cannot go without although the form itself leaves them optional: 退单 needs its reason,
   * while the form's complete action asks for it only for some outcomes. Each must be among the action's fields.
   */
  required?: string[];
}

export interface FormDefinition {
  /** The formKey of the user tasks that show this form. */
  key: string;
  title: Localized;
  fields: FieldSchema[];
  actions: FormAction[];
  /** Process variables shown read-only beside the form. */
  contextVariables: string[];
}
