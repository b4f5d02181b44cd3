/**
 * What every modeler page shares: the data the server rendered into the page (a JSON script block, because
 * the content security policy runs no inline script), the translated texts, and JSON calls that carry the
 * CSRF token.
 */
export interface PageData {
  processId: string;
  messages: Record<string, string>;
}

export function pageData<T extends PageData>(): T {
  const block = document.getElementById('modeler-data');
  if (!block?.textContent) throw new Error('modeler page without #modeler-data');
  return JSON.parse(block.textContent) as T;
}

/** `{name}` placeholders filled from `params`, as the server's catalogue does. */
export function format(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

export interface ApiAnswer<T> {
  ok: boolean;
  status: number;
  body: T;
}

/** The API takes a model as the request body itself; other parameters go into the query string. */
export async function postXml<T>(url: string, xml: string): Promise<ApiAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/xml', accept: 'application/json', 'x-csrf-token': csrfToken() },
    body: xml,
  });
  const body = (await response.json().catch(() => ({ error: response.statusText }))) as T;
  return { ok: response.ok, status: response.status, body };
}

/** A status line for the outcome of the last action. */
export function showStatus(text: string, kind: 'ok' | 'error' | 'info' = 'info'): void {
  const status = document.getElementById('modeler-status');
  if (!status) return;
  status.textContent = text;
  status.className = `modeler-status ${kind}`;
}

/** Element ids of a diagram are shown on a canvas; this names them for lists (name, else id). */
export function elementLabel(element: { id: string; name?: string }): string {
  return element.name ? `${element.name} (${element.id})` : element.id;
}
