/**
 * The one message catalogue of the web UI: Simplified Chinese by default, English on request (`?lang=en`, or the
 * signed-in user's choice). Each area of the UI keeps its messages in a section file here; the sections share one
 * key space, and a key defined in two sections stops the server at start.
 */
import type { Locale } from './catalogue';
import { authMessages } from './auth';
import { commonMessages } from './common';
import { formsMessages } from './forms';
import { inboxMessages } from './inbox';
import { modelerMessages } from './modeler';
import { tasksMessages } from './tasks';

export type { Locale } from './catalogue';

const sections = [commonMessages, authMessages, formsMessages, modelerMessages, tasksMessages, inboxMessages] as const;

type Section = (typeof sections)[number];
type ZhKeys<S> = S extends { 'zh-CN': infer Z } ? keyof Z : never;
export type MessageKey = ZhKeys<Section> & string;

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** The locale a request names (`?lang=`, cookie, user setting), if it is one we speak. */
export function asLocale(value: unknown): Locale | undefined {
  return LOCALES.find((locale) => locale === value);
}

const messages: Record<Locale, Record<string, string>> = { 'zh-CN': {}, en: {} };
for (const section of sections) {
  for (const locale of LOCALES) {
    for (const [key, text] of Object.entries(section[locale])) {
      if (key in messages[locale]) throw new Error(`i18n: message key "${key}" is defined twice`);
      messages[locale][key] = text;
    }
  }
}

/** The message in `locale`; `{name}` placeholders are filled from `params`. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = messages[locale][key] ?? messages['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
