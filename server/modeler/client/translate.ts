/**
 * bpmn-js's own texts in the page's language. bpmn-js and its extensions ship English only and pass every
 * text through the `translate` service, which a module may replace (the documented way to localise them).
 */
import { zhMessagePatterns, zhNameListConjunctions, zhTranslations } from './translations.zh';

type Replacements = Record<string, string | number | undefined>;

interface Dictionary {
  texts: Readonly<Record<string, string>>;
  /** For texts that carry values (lint messages): a pattern and its translation with `$1`… for the values. */
  patterns: readonly (readonly [RegExp, string])[];
  conjunctions: Readonly<Record<string, string>>;
}

/** English stays as shipped; only Simplified Chinese needs a dictionary. */
function dictionaryFor(locale: string): Dictionary | undefined {
  return locale === 'zh-CN' ? { texts: zhTranslations, patterns: zhMessagePatterns, conjunctions: zhNameListConjunctions } : undefined;
}

function translatePattern(dictionary: Dictionary, text: string): string | undefined {
  for (const [pattern, translation] of dictionary.patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    return translation.replace(/\$(\d)/g, (_, index: string) =>
      // A value that is a list of names ("<a> or <b>") keeps the names and translates the word between them.
      match[Number(index)].replace(/> (or|and) </g, (whole, word: string) => `> ${dictionary.conjunctions[word] ?? word} <`),
    );
  }
  return undefined;
}

/** bpmn-js's translate contract: look the template up, then fill its `{name}` placeholders. */
function translatorFor(dictionary: Dictionary) {
  return (template: string, replacements: Replacements = {}): string =>
    (dictionary.texts[template] ?? translatePattern(dictionary, template) ?? template).replace(/{([^}]+)}/g, (whole, key: string) => {
      const value = replacements[key];
      return value === undefined ? whole : String(value);
    });
}

/** `additionalModules` for a modeler or viewer on a page in `locale` (its `<html lang>`): the translate override unless English. */
export function translationModules(locale: string): { translate: ['value', ReturnType<typeof translatorFor>] }[] {
  const dictionary = dictionaryFor(locale);
  return dictionary ? [{ translate: ['value', translatorFor(dictionary)] }] : [];
}
