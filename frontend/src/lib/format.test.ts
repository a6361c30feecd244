import { afterEach, describe, expect, it } from 'vitest';
import { endOfOrgDay, formatBytes, formatDate, formatDateTime, formatDay } from './format';
import { DEFAULT_ORGANISATION, setOrganisation } from './org';

describe('formatBytes', () => {
  it('counts in 1024s, with one decimal only below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12 * 1024 * 1024 + 1)).toBe('12 MB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MB');
    expect(formatBytes(2.25 * 1024 ** 3)).toBe('2.3 GB');
  });
  it('says nothing for nonsense', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('dates in the organisation time zone and format', () => {
  afterEach(() => setOrganisation(undefined));
  it('shows a moment on the day it is in the organisation time zone', () => {
    setOrganisation({ ...DEFAULT_ORGANISATION, timezone: 'Asia/Tokyo', dateFormat: 'YYYY-MM-DD' });
    expect(formatDate('2026-11-22T16:00:00Z')).toBe('2026-11-23');
    setOrganisation({ ...DEFAULT_ORGANISATION, timezone: 'America/Sao_Paulo', dateFormat: 'DD/MM/YYYY' });
    expect(formatDate('2026-11-23T01:00:00Z')).toBe('22/11/2026');
    expect(formatDateTime('2026-11-23T01:00:00Z')).toMatch(/^22\/11\/2026 22:00/);
  });
  it('writes calendar days in the chosen format, never shifted', () => {
    setOrganisation({ ...DEFAULT_ORGANISATION, timezone: 'Pacific/Kiritimati', dateFormat: 'MM/DD/YYYY' });
    expect(formatDay('2026-01-31')).toBe('01/31/2026');
    setOrganisation({ ...DEFAULT_ORGANISATION, dateFormat: 'DD.MM.YYYY' });
    expect(formatDay('2026-01-31')).toBe('31.01.2026');
  });
  it('ends a day at 23:59 in the organisation time zone', () => {
    setOrganisation({ ...DEFAULT_ORGANISATION, timezone: 'America/Sao_Paulo' });
    expect(endOfOrgDay('2026-11-30')).toBe('2026-12-01T02:59:00.000Z');
    setOrganisation({ ...DEFAULT_ORGANISATION, timezone: 'Asia/Tokyo' });
    expect(endOfOrgDay('2026-11-30')).toBe('2026-11-30T14:59:00.000Z');
    setOrganisation({ ...DEFAULT_ORGANISATION, timezone: 'UTC' });
    expect(endOfOrgDay('2026-11-30')).toBe('2026-11-30T23:59:00.000Z');
  });
});
