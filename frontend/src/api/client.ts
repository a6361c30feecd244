// The one HTTP client of the app: openapi-fetch typed by the generated schema, a bearer
// token held in memory and sessionStorage, and every failure turned into an ApiError.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import i18n from '../i18n';
import { readOnlyMessage, allowedWhileViewing, getViewAs, setViewAs } from './viewAs';

export type Schemas = components['schemas'];
export type User = Schemas['User'];
export type Me = Schemas['Me'];
export type Role = Schemas['Role'];
export type RoleKind = Schemas['RoleKind'];
export type Grant = Schemas['Grant'];
export type Permission = Schemas['Permission'];
export type PermissionCatalog = Schemas['PermissionCatalog'];
export type RoleTemplate = Schemas['RoleTemplate'];
export type AuditEntry = Schemas['AuditEntry'];
export type Status = Schemas['Status'];
export type Project = Schemas['Project'];
export type Team = Schemas['Team'];
export type Board = Schemas['Board'];
export type Stage = Schemas['Stage'];
export type BoardGrant = Schemas['BoardGrant'];
export type Task = Schemas['Task'];
export type TaskType = Schemas['TaskType'];
export type TypeGrant = Schemas['TypeGrant'];
export type TaskRules = Schemas['TaskRules'];
export type Comment = Schemas['Comment'];
export type UserRef = Schemas['UserRef'];
export type AccessPath = Schemas['AccessPath'];
export type AccessEntry = Schemas['AccessEntry'];
export type Explanation = Schemas['Explanation'];

export const TOKEN_KEY = 'gatehouse.token';

/** What every failed call throws: the server's error, or a clear word about why there is none. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly retryAfter?: number;

  constructor(init: { status: number; code: string; message: string; field?: string; retryAfter?: number }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field || undefined;
    this.retryAfter = init.retryAfter;
  }
}

/** What a request that reached no server says (in the UI's language, when it happens). */
export const networkMessage = () => i18n.t('shell:api.network');

// ---- the session token -------------------------------------------------------------

function readStoredToken(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null; // storage can be disabled; memory still works for this window
  }
}

let token: string | null = readStoredToken();
// Why the last session ended, in the server's words, when someone else ended it (or it
// expired): shown on the sign-in screen. Null after a sign-out of one's own, or a sign-in.
let endedBecause: string | null = null;
const tokenListeners = new Set<() => void>();

export function getToken(): string | null {
  return token;
}

/** Why the last session ended (the server's message), or null when nobody needs telling. */
export function getSessionEndedReason(): string | null {
  return endedBecause;
}

export function setToken(next: string | null, reason: string | null = null): void {
  // A new session (or none) never inherits someone else's "view as".
  if (next !== token && getViewAs()) setViewAs(null);
  token = next;
  endedBecause = next ? null : reason;
  try {
    if (next) sessionStorage.setItem(TOKEN_KEY, next);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // ignore: see readStoredToken
  }
  tokenListeners.forEach((l) => l());
}

/** Forgets the session; `reason` is what the sign-in screen then says (none for a sign-out). */
export function clearToken(reason: string | null = null): void {
  setToken(null, reason);
}

/** For useSyncExternalStore: called whenever the token changes (sign-in, sign-out, 401). */
export function subscribeToken(listener: () => void): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

// ---- refusals ------------------------------------------------------------------------

const refusalListeners = new Set<(status: 401 | 403) => void>();

/**
 * Called after any 401 or 403 answer but those of signing in and of /api/me itself: what
 * this person may do has changed (a role was narrowed, a session ended), so whatever was
 * decided from /api/me (the menu, the routes) must be asked again.
 */
export function onRefused(listener: (status: 401 | 403) => void): () => void {
  refusalListeners.add(listener);
  return () => refusalListeners.delete(listener);
}

// ---- error decoding -----------------------------------------------------------------

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header); // Retry-After may also be an HTTP date
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Decodes a non-2xx response into an ApiError, whatever its body looks like. */
export async function toApiError(response: Response): Promise<ApiError> {
  const headerRetry = parseRetryAfter(response.headers.get('Retry-After'));
  let text = '';
  try {
    text = await response.text();
  } catch {
    // body unreadable: fall through to the generic message
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const err = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (err && typeof err === 'object' && typeof err.message === 'string') {
    return new ApiError({
      status: response.status,
      code: typeof err.code === 'string' ? err.code : 'error',
      message: err.message,
      field: typeof err.field === 'string' ? err.field : undefined,
      retryAfter: typeof err.retryAfter === 'number' ? err.retryAfter : headerRetry,
    });
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError({
    status: response.status,
    code: 'bad_response',
    message: i18n.t('shell:api.noExplanation', { status: `${response.status}${statusText}` }),
    retryAfter: headerRetry,
  });
}

// ---- the client ---------------------------------------------------------------------

/**
 * Paths are same-origin ('' base URL). openapi-fetch builds a Request from a relative
 * URL, which browsers resolve against the page but Node (tests) cannot; resolving it
 * against location here gives the same result in both (also under wails://).
 */
class SameOriginRequest extends Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    const resolved =
      typeof input === 'string' && input.startsWith('/') && typeof location !== 'undefined'
        ? new URL(input, location.href).toString()
        : input;
    super(resolved, init);
  }
}

/**
 * The UI's language, for the server's messages: it writes them in the signed-in person's
 * language, and without a session in this one when it is Portuguese (else in the
 * organisation's default, which is what the UI shows before anyone signs in).
 */
export function uiLanguage(): string {
  return i18n.resolvedLanguage ?? i18n.language ?? 'en';
}

const sessionMiddleware: Middleware = {
  onRequest({ request, schemaPath }) {
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    request.headers.set('Accept-Language', uiLanguage());
    const viewAs = getViewAs();
    if (viewAs) {
      // Viewing as someone is read-only: reads carry the header, changes are refused here
      // (the server refuses them too).
      if (!allowedWhileViewing(request.method, schemaPath)) {
        throw new ApiError({ status: 403, code: 'view_as_read_only', message: readOnlyMessage() });
      }
      if (request.method === 'GET') request.headers.set('X-View-As', viewAs.userId);
    }
    return request;
  },
  async onResponse({ request, response, schemaPath }) {
    if (response.ok) return response;
    const error = await toApiError(response);
    const isSignIn =
      request.method === 'POST' && (schemaPath === '/api/sessions' || schemaPath === '/api/sessions/two-factor');
    if ((response.status === 401 || response.status === 403) && !isSignIn) {
      // Only the session that asked can have ended: a late answer to a request of an
      // earlier session must not sign out the current one.
      const sentWith = request.headers.get('Authorization');
      if (response.status === 401 && token && sentWith === `Bearer ${token}`) {
        // The session ended (expired, signed out elsewhere, user deactivated): forget it
        // so the app falls back to the sign-in screen, which says why.
        clearToken(error.message);
      }
      if (schemaPath !== '/api/me') refusalListeners.forEach((l) => l(response.status as 401 | 403));
    }
    throw error;
  },
  onError({ error }) {
    if (error instanceof ApiError) return error;
    return new ApiError({ status: 0, code: 'network', message: networkMessage() });
  },
};

export const api = createClient<paths>({
  baseUrl: '',
  Request: SameOriginRequest,
  // Looked up per call so tests (and anything else) can replace global fetch later.
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(sessionMiddleware);

/**
 * Awaits an openapi-fetch call and returns its data. The middleware already throws on
 * non-2xx, so this mostly narrows the type; it also catches a 2xx that is not JSON
 * (e.g. an HTML page where an API answer was expected).
 */
export async function call<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (e instanceof SyntaxError) {
      throw new ApiError({
        status: 200,
        code: 'bad_response',
        message: i18n.t('shell:api.notJson'),
      });
    }
    throw new ApiError({ status: 0, code: 'network', message: networkMessage() });
  }
  if (!result.response.ok) throw await toApiError(result.response);
  return result.data as T;
}

/** A readable message for anything thrown by a call. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return i18n.t('shell:api.somethingWrong');
}
