import { describe, expect, it } from 'vitest';
import { LANGUAGES, resources } from '../i18n';

// Every key of a namespace, as dotted paths, with the string it leads to.
function flatten(o: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('the languages', () => {
  it('have the same namespaces', () => {
    const en = Object.keys(resources.en).sort();
    expect(en.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) expect(Object.keys(resources[lang] ?? {}).sort()).toEqual(en);
  });

  it('have every string in each, with the same placeholders, none empty', () => {
    const problems: string[] = [];
    for (const ns of Object.keys(resources.en)) {
      const en = flatten(resources.en[ns]);
      for (const lang of LANGUAGES) {
        const other = flatten(resources[lang]?.[ns] ?? {});
        for (const [key, text] of en) {
          const t = other.get(key);
          if (t === undefined) problems.push(`${lang}/${ns}: ${key} is missing`);
          else if (t.trim() === '') problems.push(`${lang}/${ns}: ${key} is empty`);
          else if (placeholders(t).join() !== placeholders(text).join()) problems.push(`${lang}/${ns}: ${key} has other placeholders`);
        }
        for (const key of other.keys()) if (!en.has(key)) problems.push(`${lang}/${ns}: ${key} is not in English`);
      }
    }
    expect(problems).toEqual([]);
  });
});
