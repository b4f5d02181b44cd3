/**
 * HTML mails from handlebars templates in `templates/<name>.hbs`. Handlebars' default HTML escaping stays on:
 * template data comes from customers and staff, and a mail client renders whatever markup gets through.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

const TEMPLATE_DIR = path.join(__dirname, 'templates');
const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]*$/;

const handlebars = Handlebars.create();
handlebars.registerHelper('yuan', formatYuan);

const compiled = new Map<string, HandlebarsTemplateDelegate>();

export function renderMailTemplate(name: string, data: object): string {
  // The name becomes a file path, so only plain names are accepted.
  if (!TEMPLATE_NAME.test(name)) throw new Error(`Invalid mail template name: ${JSON.stringify(name)}`);
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(path.join(TEMPLATE_DIR, `${name}.hbs`), 'utf8');
    // strict: a field missing from the data is an error rather than a silently blank line in a customer's mail.
    template = handlebars.compile(source, { strict: true });
    compiled.set(name, template);
  }
  return template(data);
}

/** Amounts are kept in fen (分) as integers; bills show 元 with two decimals: 12345 -> "123.45". */
export function formatYuan(fen: unknown): string {
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen)) {
    throw new Error(`An amount in fen must be an integer, got ${JSON.stringify(fen)}`);
  }
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
