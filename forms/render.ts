/**
 * Renders a form as an HTML fragment from its handlebars template (forms/templates/<formKey>.hbs), which lays
 * out the form's fields through the shared partials (forms/templates/partials/). All values are untrusted and
 * stay HTML-escaped by handlebars.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { translate, type Locale } from '../server/i18n';
import { CONTEXT_LABELS } from './definitions/contextLabels';
import { toDateTimeLocal } from './dateTime';
import { SAVE_DRAFT_ACTION, requireFormDefinition } from './registry';
import type { FieldSchema, FormDefinition } from './schema';

export interface RenderOptions {
  locale: Locale;
  actionUrl: string;
  csrfToken: string;
  /** The user's previous input (strings) or the process variables (typed) to fill the fields with. */
  values: Record<string, unknown>;
  /** Messages by field name, from validateSubmission. */
  errors?: Record<string, string>;
  /** Process variables; those the form lists in contextVariables are shown read-only. */
  context?: Record<string, unknown>;
  /** Shows the form without buttons and with disabled fields (a task the user may only look at). */
  readOnly?: boolean;
}

const TEMPLATES_DIR = path.join(__dirname, 'templates');
const INPUT_TYPES: Partial<Record<FieldSchema['type'], string>> = {
  text: 'text',
  phone: 'tel',
  email: 'email',
  number: 'number',
  integer: 'number',
  date: 'date',
  datetime: 'datetime-local',
};

const handlebars = Handlebars.create();
for (const file of readdirSync(path.join(TEMPLATES_DIR, 'partials'))) {
  handlebars.registerPartial(path.basename(file, '.hbs'), readFileSync(path.join(TEMPLATES_DIR, 'partials', file), 'utf8'));
}
// A template names its fields; a name the form does not have is a mistake in the template, not missing data.
handlebars.registerHelper('field', function (name: string, options: Handlebars.HelperOptions) {
  const view = (options.data.root as { fieldViews: Record<string, FieldView> }).fieldViews[name];
  if (view === undefined) throw new Error(`form template refers to unknown field "${name}"`);
  return view;
});

const compiled = new Map<string, Handlebars.TemplateDelegate>();

function templateOf(key: string): Handlebars.TemplateDelegate {
  let template = compiled.get(key);
  if (template === undefined) {
    // preventIndent: partials must not indent multi-line values (a <pre> block would change).
    template = handlebars.compile(readFileSync(path.join(TEMPLATES_DIR, `${key}.hbs`), 'utf8'), { preventIndent: true });
    compiled.set(key, template);
  }
  return template;
}

/** Whether forms/templates has a template for the form key. */
export function hasTemplate(key: string): boolean {
  return readdirSync(TEMPLATES_DIR).includes(`${key}.hbs`);
}

export function renderForm(key: string, options: RenderOptions): string {
  const definition = requireFormDefinition(key);
  const { locale, errors = {}, readOnly = false } = options;
  const fieldViews = Object.fromEntries(definition.fields.map((f) => [f.name, fieldView(f, options.values[f.name], errors[f.name], locale, readOnly)]));
  return templateOf(key)({
    formKey: key,
    title: definition.title[locale],
    actionUrl: options.actionUrl,
    csrfToken: options.csrfToken,
    readOnly,
    fieldViews,
    errorSummary: Object.keys(errors).length > 0 ? translate(locale, 'formHasErrors') : undefined,
    // An action that sends only some fields (退单 sends its reason) must not be held back by the browser's checks of
    // the others; the server validates exactly that action's fields.
    actions: definition.actions.map((a) => ({ id: a.id, label: a.label[locale], skipBrowserChecks: a.fields !== undefined })),
    saveDraft: { id: SAVE_DRAFT_ACTION, label: translate(locale, 'formSaveDraft') },
    contextTitle: translate(locale, 'formContext'),
    context: contextView(definition, options.context ?? {}, locale),
  });
}

interface FieldView {
  name: string;
  id: string;
  label: string;
  required: boolean;
  error?: string;
  disabled: boolean;
  isBoolean: boolean;
  isMultiple: boolean;
  isSelect: boolean;
  isTextarea: boolean;
  inputType?: string;
  value: string;
  checked: boolean;
  options: { value: string; label: string; selected: boolean }[];
  chooseLabel: string;
  maxLength?: number;
  min?: number;
  max?: number;
  step?: string;
}

function fieldView(field: FieldSchema, value: unknown, error: string | undefined, locale: Locale, readOnly: boolean): FieldView {
  const chosen = Array.isArray(value) ? value.map(String) : [displayText(field, value)];
  return {
    name: field.name,
    id: `field-${field.name}`,
    label: field.label[locale],
    required: field.required === true,
    error,
    disabled: readOnly,
    isBoolean: field.type === 'boolean',
    isMultiple: field.type === 'select' && field.multiple === true,
    isSelect: field.type === 'select',
    isTextarea: field.type === 'textarea',
    inputType: INPUT_TYPES[field.type],
    value: displayText(field, value),
    checked: value === true || value === 'true' || value === 'on',
    options: (field.options ?? []).map((o) => ({ value: o.value, label: o.label[locale], selected: chosen.includes(o.value) })),
    chooseLabel: translate(locale, 'formChoose'),
    maxLength: field.maxLength,
    min: field.min,
    max: field.max,
    step: field.type === 'integer' ? '1' : field.type === 'number' ? 'any' : undefined,
  };
}

function displayText(field: FieldSchema, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.type === 'datetime' && typeof value === 'string') return toDateTimeLocal(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function contextView(definition: FormDefinition, context: Record<string, unknown>, locale: Locale) {
  return definition.contextVariables
    .filter((name) => context[name] !== undefined && context[name] !== null)
    .map((name) => {
      const value = context[name];
      const label = CONTEXT_LABELS[name]?.[locale] ?? name;
      if (typeof value === 'boolean') return { name, label, text: translate(locale, value ? 'formYes' : 'formNo'), block: false };
      if (typeof value === 'object') return { name, label, text: JSON.stringify(value, null, 2), block: true };
      return { name, label, text: String(value), block: false };
    });
}
