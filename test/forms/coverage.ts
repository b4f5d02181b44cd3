/** Which form keys lack a form definition or a template: the check the coverage suite runs on the catalogue. */
import { formDefinition } from '../../forms';
import { hasTemplate } from '../../forms/render';

export interface MissingForm {
  key: string;
  lacks: 'definition' | 'template';
}

export function formsMissingFor(formKeys: readonly string[]): MissingForm[] {
  return formKeys.flatMap((key): MissingForm[] => {
    if (formDefinition(key) === undefined) return [{ key, lacks: 'definition' }];
    return hasTemplate(key) ? [] : [{ key, lacks: 'template' }];
  });
}
