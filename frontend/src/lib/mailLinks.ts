// Links in mails are plain paths (<appUrl>/set-password?token=…: the Go server answers
// every path that is not a file with index.html), while the app routes by hash (it is
// also served from wails://). These turn one into the other.

const SET_PASSWORD = '/set-password';

/**
 * The address to show instead of `loc` when it is a mail's link: the same page under
 * the hash router (`/#/set-password?token=…`), or null when `loc` is not one.
 */
export function hashAddressOfMailLink(loc: { pathname: string; search: string; hash: string }): string | null {
  if (loc.hash.length > 2) return null; // already a route of the app
  const path = loc.pathname.replace(/\/+$/, '');
  if (!path.endsWith(SET_PASSWORD)) return null;
  // Gatehouse may sit under a prefix (a reverse proxy): keep it.
  const base = path.slice(0, -SET_PASSWORD.length) + '/';
  return `${base}#${SET_PASSWORD}${loc.search}`;
}

/**
 * The token in what someone pasted: the code itself, or the whole link from the mail
 * (the token is then its `token` parameter).
 */
export function tokenFromInput(input: string): string {
  const text = input.trim();
  const query = text.match(/[?&]token=([^&#\s]+)/);
  if (query) {
    try {
      return decodeURIComponent(query[1]);
    } catch {
      return query[1];
    }
  }
  return text.replace(/\s+/g, '');
}
