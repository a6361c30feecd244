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

// Every JSON file under locales/, bundled: src/locales/en/common.json → en, common.
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json', { eager: true });

export const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, mod] of Object.entries(files)) {
  const m = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!m) continue;
  (resources[m[1]] ??= {})[m[2]] = mod.default;
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

/** Switches the UI to lang (anything else: English). */
export function setLanguage(lang: string | undefined): void {
  const l = (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as Language) : 'en';
  if (i18next.language !== l) void i18next.changeLanguage(l);
  document.documentElement.lang = l;
}

export default i18next;
