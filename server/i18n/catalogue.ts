export type Locale = 'zh-CN' | 'en';

/** One section of the message catalogue: the same keys in every locale. */
export type Catalogue = Record<Locale, Record<string, string>>;
