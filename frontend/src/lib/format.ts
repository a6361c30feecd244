import { organisation, timeZone, uiLocale } from './org';

/** Year, month and day of a moment in the organisation's time zone. */
function dayParts(d: Date): { y: string; m: string; d: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timeZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** The organisation's day of a moment (now by default), as YYYY-MM-DD. */
export function orgDay(d: Date = new Date()): string {
  const p = dayParts(d);
  return `${p.y}-${p.m}-${p.d}`;
}

/** A day in the organisation's date format ("locale": as the reader's language writes it). */
function writeDay(p: { y: string; m: string; d: string }, asLocale: () => string): string {
  switch (organisation().dateFormat) {
    case 'YYYY-MM-DD':
      return `${p.y}-${p.m}-${p.d}`;
    case 'DD/MM/YYYY':
      return `${p.d}/${p.m}/${p.y}`;
    case 'MM/DD/YYYY':
      return `${p.m}/${p.d}/${p.y}`;
    case 'DD.MM.YYYY':
      return `${p.d}.${p.m}.${p.y}`;
  }
  return asLocale();
}

/** A moment with its time, in the organisation's time zone and date format. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const tz = timeZone();
  if (organisation().dateFormat === 'locale') return d.toLocaleString(uiLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: tz });
  const time = d.toLocaleTimeString(uiLocale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz });
  return `${writeDay(dayParts(d), () => '')} ${time}`;
}

/** The day of a moment, in the organisation's time zone and date format. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return writeDay(dayParts(d), () => d.toLocaleDateString(uiLocale(), { dateStyle: 'medium', timeZone: timeZone() }));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A calendar day (YYYY-MM-DD) in the organisation's date format, without a time-zone shift. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return writeDay({ y: m[1], m: m[2], d: m[3] }, () =>
    new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).toLocaleDateString(uiLocale(), { dateStyle: 'medium' }),
  );
}

/** A size for people: 0 B, 512 B, 1.5 KB, 12 MB, 2.1 GB (1 KB = 1024 bytes, as the server's limits count). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1023.5 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  // One decimal while it says something (1.5 MB), none from 10 up (12 MB).
  const text = v < 10 ? v.toFixed(1).replace(/\.0$/, '') : String(Math.round(v));
  return `${text} ${units[i]}`;
}

/**
 * The moment a day (YYYY-MM-DD) ends in the organisation's time zone (23:59), as an ISO
 * string: what "until this day" means wherever the reader's computer is.
 */
export function endOfOrgDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, 23, 59);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone(),
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(guess));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  // How far the zone's clock is from UTC at that moment.
  const offset = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - guess;
  return new Date(guess - offset).toISOString();
}
