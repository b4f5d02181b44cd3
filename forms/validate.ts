/**
 * Server-side validation of a submitted form: the HTML form body (strings, arrays of strings for repeated names,
 * an unchecked check box absent) becomes the typed process variables the model expects, or one translated
 * message per invalid field. Bodies are untrusted: anything that is not what the form could have sent is an error.
 */
import { translate, type Locale, type MessageKey } from '../server/i18n';
import { requireFormAction, requireFormDefinition } from './registry';
import type { FieldSchema, FormAction, FormDefinition } from './schema';
import { parseDateTime } from './dateTime';

export type SubmissionResult =
  | { ok: true; action: FormAction; variables: Record<string, unknown> }
  | { ok: false; errors: Record<string, string> };

type Problem = { message: MessageKey; params?: Record<string, string | number> };
type Parsed = { value: unknown } | { problem: Problem };

const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Numbers and dates have no maxLength of their own; a draft never needs more than this of them. */
const DRAFT_VALUE_MAX_LENGTH = 40;

/**
 * Validates the fields of `actionId` (all the form's fields unless the action names some), each required by its own
 * rule or by the action's `required` list. Empty optional fields
 * are sent as null, so a cleared value (or one a branch does not need, such as the satisfaction of an unreached
 * callback) overwrites what an earlier round left in the process. Throws UnknownFormError / UnknownFormActionError;
 * "save-draft" is no action: callers store drafts themselves (draftValues).
 */
export function validateSubmission(key: string, actionId: string, body: Record<string, unknown>, locale: Locale): SubmissionResult {
  const definition = requireFormDefinition(key);
  const action = requireFormAction(definition, actionId);
  const variables: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fieldsOf(definition, action)) {
    const parsed = parseField(field, body[field.name]);
    if ('problem' in parsed) errors[field.name] = translate(locale, parsed.problem.message, parsed.problem.params);
    else if (isEmpty(parsed.value) && isRequired(definition, action, field, body)) errors[field.name] = translate(locale, 'formRequired');
    else variables[field.name] = parsed.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, action, variables };
}

/**
 * The form's fields from a submitted body as the user typed them, for keeping a draft and showing it again with
 * renderForm: only fields of the form, only strings, each cut to the field's maximum length.
 */
export function draftValues(key: string, body: Record<string, unknown>): Record<string, string | string[]> {
  const draft: Record<string, string | string[]> = {};
  for (const field of requireFormDefinition(key).fields) {
    const raw = body[field.name];
    const strings = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    if (strings.length === 0) continue;
    draft[field.name] = field.multiple ? strings.filter((s) => field.options?.some((o) => o.value === s)) : strings[0].slice(0, field.maxLength ?? DRAFT_VALUE_MAX_LENGTH);
  }
  return draft;
}

function fieldsOf(definition: FormDefinition, action: FormAction): FieldSchema[] {
  return action.fields === undefined ? definition.fields : definition.fields.filter((f) => action.fields?.includes(f.name));
}

function isEmpty(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

function isRequired(definition: FormDefinition, action: FormAction, field: FieldSchema, body: Record<string, unknown>): boolean {
  if (field.required === true || action.required?.includes(field.name) === true) return true;
  if (field.requiredWhen === undefined) return false;
  const { field: name, equals } = field.requiredWhen;
  const controlling = definition.fields.find((f) => f.name === name);
  if (controlling === undefined) throw new Error(`form "${definition.key}": ${field.name} depends on unknown field ${name}`);
  const parsed = parseField(controlling, body[name]);
  return 'value' in parsed && parsed.value === equals;
}

const problem = (message: MessageKey, params?: Record<string, string | number>): Parsed => ({ problem: { message, params } });

export function parseField(field: FieldSchema, raw: unknown): Parsed {
  if (field.type === 'boolean') return parseBoolean(raw);
  if (field.type === 'select' && field.multiple === true) return parseMultiple(field, raw);
  if (raw === undefined) return { value: null };
  if (typeof raw !== 'string') return problem(field.type === 'select' ? 'formNotOption' : 'formNotText');
  const text = field.type === 'textarea' ? raw.replace(/\r\n/g, '\n').trim() : raw.trim();
  if (text === '') return { value: null };
  if (field.maxLength !== undefined && [...text].length > field.maxLength) return problem('formTooLong', { max: field.maxLength });
  switch (field.type) {
    case 'text':
    case 'textarea':
      return { value: text };
    case 'phone':
      return PHONE.test(text) ? { value: text } : problem('formNotPhone');
    case 'email':
      return EMAIL.test(text) ? { value: text } : problem('formNotEmail');
    case 'select':
      return field.options?.some((o) => o.value === text) ? { value: text } : problem('formNotOption');
    case 'number':
      return NUMBER.test(text) ? inRange(field, Number(text)) : problem('formNotNumber');
    case 'integer':
      return INTEGER.test(text) && Number.isSafeInteger(Number(text)) ? inRange(field, Number(text)) : problem('formNotInteger');
    case 'date':
      return isCalendarDate(text) ? { value: text } : problem('formNotDate');
    case 'datetime': {
      const iso = parseDateTime(text);
      return iso === undefined ? problem('formNotDateTime') : { value: iso };
    }
  }
}

function parseBoolean(raw: unknown): Parsed {
  if (raw === undefined || raw === '' || raw === 'false') return { value: false };
  if (raw === 'true' || raw === 'on') return { value: true };
  return problem('formNotBoolean');
}

function parseMultiple(field: FieldSchema, raw: unknown): Parsed {
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const allowed = new Set(field.options?.map((o) => o.value));
  if (!values.every((v): v is string => typeof v === 'string' && allowed.has(v))) return problem('formNotOption');
  return { value: [...new Set(values)] };
}

function inRange(field: FieldSchema, value: number): Parsed {
  if (field.min !== undefined && value < field.min) return problem('formTooSmall', { min: field.min });
  if (field.max !== undefined && value > field.max) return problem('formTooLarge', { max: field.max });
  return { value };
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
