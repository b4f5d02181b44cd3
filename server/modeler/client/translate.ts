/**
 * bpmn-js's own texts in the page's language. bpmn-js and its extensions ship English only and pass every
 * text through the `translate` service, which a module may replace (the documented way to localise them).
 */
import { zhTranslations } from './translations.zh';

type Replacements = Record<string, string | number | undefined>;

/** English stays as shipped; only Simplified Chinese needs a dictionary. */
function dictionaryFor(locale: string): Readonly<Record<string, string>> | undefined {
  return locale === 'zh-CN' ? zhTranslations : undefined;
}

/** bpmn-js's translate contract: look the template up, then fill its `{name}` placeholders. */
function translatorFor(dictionary: Readonly<Record<string, string>>) {
  return (template: string, replacements: Replacements = {}): string =>
    (dictionary[template] ?? template).replace(/{([^}]+)}/g, (whole, key: string) => {
      const value = replacements[key];
      return value === undefined ? whole : String(value);
    });
}

/** `additionalModules` for a modeler or viewer on a page in `locale` (its `<html lang>`): the translate override unless English. */
export function translationModules(locale: string): { translate: ['value', ReturnType<typeof translatorFor>] }[] {
  const dictionary = dictionaryFor(locale);
  return dictionary ? [{ translate: ['value', translatorFor(dictionary)] }] : [];
}
