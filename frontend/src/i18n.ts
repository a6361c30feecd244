// The UI's languages: English and Brazilian Portuguese (react-i18next). Every text on a
// screen comes from src/locales/<language>/<namespace>.json, one namespace per area of
// the app; src/locales/locales.test.ts fails when a key is in one language and not the
// other, or when their {{placeholders}} differ.
//
// Which language: the person's own choice (My account), else the organisation's default
// (Settings → General), else English — set by the app once it knows (setLanguage).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

type Bundle = { default: Record<string, unknown> };
// English, the fallback, is in the first load; another language is a chunk of its own,
// loaded when someone's language asks for it (loadLanguage): most people never need
// the other, and it was a fifth of the first load.
const english = import.meta.glob<Bundle>('./locales/en/*.json', { eager: true });
const others = import.meta.glob<Bundle>(['./locales/*/*.json', '!./locales/en/*.json']);
const fileRe = /\.\/locales\/([^/]+)\/([^/]+)\.json$/;

/** The loaded languages' texts: resources[language][namespace]. */
export const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, mod] of Object.entries(english)) {
  const m = fileRe.exec(path);
  if (m) (resources[m[1]] ??= {})[m[2]] = mod.default;
}

export const NAMESPACES = Object.keys(resources.en ?? {});

void i18next.use(initReactI18next).init({
  resources,
  lng: 'en',
  fallbackLng: 'en',
  ns: NAMESPACES,
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

const loading = new Map<string, Promise<void>>();

/** Loads every namespace of lang (English is always loaded). */
export function loadLanguage(lang: Language): Promise<void> {
  if (resources[lang]) return Promise.resolve();
  let p = loading.get(lang);
  if (!p) {
    const files = Object.entries(others).filter(([path]) => fileRe.exec(path)?.[1] === lang);
    p = Promise.all(files.map(async ([path, load]) => [fileRe.exec(path)![2], (await load()).default] as const)).then((bundles) => {
      const byNs: Record<string, Record<string, unknown>> = {};
      for (const [ns, texts] of bundles) {
        byNs[ns] = texts;
        i18next.addResourceBundle(lang, ns, texts, true, true);
      }
      resources[lang] = byNs;
    });
    p.catch(() => loading.delete(lang)); // a failed chunk is tried again next time
    loading.set(lang, p);
  }
  return p;
}

let wanted: Language = 'en';

/** Whether lang's texts are loaded (anything not a language of the UI: English). */
export function languageLoaded(lang: string | undefined): boolean {
  return !(LANGUAGES as readonly string[]).includes(lang ?? '') || !!resources[lang as string];
}

/** Switches the UI to lang (anything else: English), once its texts are loaded; English
 * shows meanwhile, and if they cannot be loaded. Resolves once done. */
export function setLanguage(lang: string | undefined): Promise<void> {
  const l = (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as Language) : 'en';
  wanted = l;
  const apply = () => {
    if (wanted !== l) return; // another language was asked for meanwhile
    if (i18next.language !== l) void i18next.changeLanguage(l);
    document.documentElement.lang = l;
  };
  if (resources[l]) {
    apply();
    return Promise.resolve();
  }
  return loadLanguage(l).then(apply, () => undefined);
}

export default i18next;
