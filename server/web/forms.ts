/** Small pieces of HTML forms shared by the platform's pages: the CSRF field and a field's error message. */
import { escapeHtml } from './layout';

export function csrfField(token: string): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`;
}

/** The message under a field, with an id the field can point at through aria-describedby. */
export function fieldError(field: string, message: string | undefined): string {
  return message ? `<p class="field-error" id="${escapeHtml(field)}-error" role="alert">${escapeHtml(message)}</p>` : '';
}

/** Attributes marking a field invalid, pointing at its message. */
export function invalidAttributes(field: string, message: string | undefined): string {
  return message ? ` class="invalid" aria-invalid="true" aria-describedby="${escapeHtml(field)}-error"` : '';
}
