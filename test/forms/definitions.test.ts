/**
 * Every form key of the process catalogue has a form (definition and template), every template renders every
 * field of its form, and the definitions are consistent: length limits on text, options on selects, labels for
 * context variables, dependencies on fields that exist.
 */
import { FORM_KEYS, formDefinition, renderForm } from '../../forms';
import { CONTEXT_LABELS } from '../../forms/definitions/contextLabels';
import { PROCESSES } from '../../processes/catalogue';
import { formsMissingFor } from './coverage';

const catalogueKeys = PROCESSES.flatMap((p) => [...p.formKeys]);

it('every form key of the catalogue has a definition and a template, and no form is left over', () => {
  expect(catalogueKeys.length).toBeGreaterThan(25);
  expect(formsMissingFor(catalogueKeys)).toEqual([]);
  expect([...FORM_KEYS].sort()).toEqual([...new Set(catalogueKeys)].sort());
});

it('a catalogue form key without a form is reported', () => {
  expect(formsMissingFor([...catalogueKeys, 'complaint-appeal'])).toEqual([{ key: 'complaint-appeal', lacks: 'definition' }]);
  expect(formDefinition('complaint-appeal')).toBeUndefined();
});

describe.each(FORM_KEYS.map((key) => [key]))('%s', (key) => {
  const definition = formDefinition(key)!;

  it('renders every field of its definition once, with one button per action and the save-draft button', () => {
    const html = renderForm(key, { locale: 'zh-CN', actionUrl: `/tasks/1`, csrfToken: 'token', values: {} });
    for (const field of definition.fields) {
      expect(html).toContain(`data-field="${field.name}"`);
      expect(html.split(`data-field="${field.name}"`)).toHaveLength(2);
      expect(html).toContain(field.label['zh-CN']);
    }
    for (const action of definition.actions) expect(html).toContain(`name="action" value="${action.id}"`);
    expect(html).toContain('name="action" value="save-draft"');
    expect(html).toContain('<input type="hidden" name="_csrf" value="token">');
  });

  it('has consistent fields', () => {
    expect(definition.fields.length).toBeGreaterThan(0);
    expect(definition.actions.length).toBeGreaterThan(0);
    expect(new Set(definition.fields.map((f) => f.name)).size).toBe(definition.fields.length);
    for (const field of definition.fields) {
      if (['text', 'textarea', 'phone', 'email'].includes(field.type)) expect(field.maxLength).toBeGreaterThan(0);
      if (field.type === 'select') expect(field.options?.length).toBeGreaterThan(1);
      if (field.requiredWhen !== undefined) {
        const controlling = definition.fields.find((f) => f.name === field.requiredWhen?.field);
        expect(controlling).toBeDefined();
        const equals = field.requiredWhen.equals;
        if (controlling?.type === 'boolean') expect(typeof equals).toBe('boolean');
        else expect(controlling?.options?.map((o) => o.value)).toContain(equals);
      }
      expect(field.label['zh-CN']).not.toBe('');
      expect(field.label.en).not.toBe('');
    }
    for (const name of definition.contextVariables) expect(CONTEXT_LABELS[name]).toBeDefined();
    const fieldNames = definition.fields.map((f) => f.name);
    for (const action of definition.actions) {
      if (action.kind === 'bpmnError') expect(action.errorCode).toMatch(/^[A-Z_]+$/);
      for (const name of action.fields ?? []) expect(fieldNames).toContain(name);
      for (const name of action.required ?? []) expect(action.fields ?? fieldNames).toContain(name);
    }
  });
});

it('an unknown form key is an error', () => {
  expect(() => renderForm('no-such-form', { locale: 'zh-CN', actionUrl: '/', csrfToken: 't', values: {} })).toThrow(/unknown form key "no-such-form"/);
});
