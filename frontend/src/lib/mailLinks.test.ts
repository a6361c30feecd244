import { describe, expect, it } from 'vitest';
import { hashAddressOfMailLink, tokenFromInput } from './mailLinks';

const at = (pathname: string, search = '', hash = '') => ({ pathname, search, hash });

describe('mail links', () => {
  it('opens a mail link as the same page under hash routing', () => {
    expect(hashAddressOfMailLink(at('/set-password', '?token=abc'))).toBe('/#/set-password?token=abc');
    expect(hashAddressOfMailLink(at('/set-password/', '?token=abc'))).toBe('/#/set-password?token=abc');
    // Behind a reverse proxy with a prefix, the prefix stays.
    expect(hashAddressOfMailLink(at('/gatehouse/set-password', '?token=abc'))).toBe('/gatehouse/#/set-password?token=abc');
  });

  it('leaves every other address alone', () => {
    expect(hashAddressOfMailLink(at('/'))).toBeNull();
    expect(hashAddressOfMailLink(at('/', '', '#/overview'))).toBeNull();
    expect(hashAddressOfMailLink(at('/index.html'))).toBeNull();
    expect(hashAddressOfMailLink(at('/set-password', '', '#/set-password?token=x'))).toBeNull();
  });

  it('takes the token from a pasted code or a pasted link', () => {
    expect(tokenFromInput('  abcd efgh ')).toBe('abcdefgh');
    expect(tokenFromInput('http://office:8787/set-password?token=k7x2q')).toBe('k7x2q');
    expect(tokenFromInput('http://office:8787/#/set-password?token=k7x2q&x=1')).toBe('k7x2q');
    expect(tokenFromInput('')).toBe('');
  });
});
