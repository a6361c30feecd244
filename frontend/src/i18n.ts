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
// What the first screens (set-up, sign-in, a set-password link, the two-factor step) say
// is in the first load, in English; every other text is a chunk per language and
// namespace, loaded when needed: all of a language at once (loadLanguage) before the
// signed-in app shows (src/App.tsx) or when someone's language asks for it, so a screen
// never waits for its words. The namespaces the first screens use: check with the
// first-load chunks' imports when a signed-out screen gains one.
const FIRST = import.meta.glob<Bundle>('./locales/en/{common,shell,signin,twoFactor,nav,language}.json', { eager: true });
const LATER = import.meta.glob<Bundle>(['./locales/*/*.json', '!./locales/en/{common,shell,signin,twoFactor,nav,language}.json']);
const fileRe = /\.\/locales\/([^/]+)\/([^/]+)\.json$/;
const parse = (path: string) => fileRe.exec(path)!.slice(1, 3) as [string, string];

/** The texts loaded so far: resources[language][namespace]. */
export const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, mod] of Object.entries(FIRST)) {
  const [lang, ns] = parse(path);
  (resources[lang] ??= {})[ns] = mod.default;
}
const firstNamespaces = Object.keys(resources.en);

/** Every namespace (each language has the same: src/locales/locales.test.ts). */
export const NAMESPACES = [...new Set([...Object.keys(FIRST), ...Object.keys(LATER)].map((p) => parse(p)[1]))].sort();

void i18next
  .use(initReactI18next)
  // What a screen asks for and is not loaded yet (the loads below make that rare).
  .use({
    type: 'backend',
    init() {},
    read(lang: string, ns: string, done: (err: unknown, data?: Record<string, unknown>) => void) {
      const load = LATER[`./locales/${lang}/${ns}.json`];
      if (!load) return done(null, resources[lang]?.[ns] ?? {});
      load().then((m) => done(null, m.default), (err) => done(err));
    },
  })
  .init({
    resources: { en: { ...resources.en } },
    partialBundledLanguages: true,
    lng: 'en',
    fallbackLng: 'en',
    ns: firstNamespaces,
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });

const complete = new Set<string>();
const loading = new Map<string, Promise<void>>();

/** Loads every namespace of lang (and of English, the fallback). */
export function loadLanguage(lang: Language): Promise<void> {
  if (lang !== 'en') return Promise.all([loadLanguage('en'), loadAll(lang)]).then(() => undefined);
  return loadAll(lang);
}

function loadAll(lang: string): Promise<void> {
  if (complete.has(lang)) return Promise.resolve();
  let p = loading.get(lang);
  if (!p) {
    const files = Object.entries(LATER).filter(([path]) => parse(path)[0] === lang);
    p = Promise.all(files.map(async ([path, load]) => [parse(path)[1], (await load()).default] as const)).then((bundles) => {
      for (const [ns, texts] of bundles) {
        (resources[lang] ??= {})[ns] = texts;
        i18next.addResourceBundle(lang, ns, texts, true, true);
      }
      complete.add(lang);
    });
    p.catch(() => loading.delete(lang)); // a failed chunk is tried again next time
    loading.set(lang, p);
  }
  return p;
}

/** Whether the first screens can speak lang (anything not a language of the UI: English). */
export function languageLoaded(lang: string | undefined): boolean {
  return !(LANGUAGES as readonly string[]).includes(lang ?? '') || lang === 'en' || complete.has(lang as string);
}

let wanted: Language = 'en';

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
  if (languageLoaded(l)) {
    apply();
    return Promise.resolve();
  }
  return loadLanguage(l).then(apply, () => undefined);
}

export default i18next;
