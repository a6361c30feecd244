import { beforeEach, describe, expect, it } from 'vitest';
import { mockFetch } from '../test/render';
import i18n from '../i18n';
import { ApiError, TOKEN_KEY, api, call, getSessionEndedReason, getToken, onRefused, setToken } from './client';

function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('api client', () => {
  beforeEach(() => {
    setToken(null);
    vi.unstubAllGlobals();
  });

  it('sends the bearer token only when one is held', async () => {
    const { calls } = mockFetch(() => ({ body: { setupRequired: false, version: 'x' } }));
    await call(api.GET('/api/status'));
    expect(calls[0].headers.get('Authorization')).toBeNull();

    setToken('tok-123');
    await call(api.GET('/api/status'));
    expect(calls[1].headers.get('Authorization')).toBe('Bearer tok-123');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('tok-123');
    expect(new URL(calls[1].url).pathname).toBe('/api/status');
  });

  it("asks for the server's messages in the UI's language", async () => {
    const { calls } = mockFetch(() => ({ body: { setupRequired: false, version: 'x' } }));
    await call(api.GET('/api/status'));
    expect(calls[0].headers.get('Accept-Language')).toBe('en');
    await i18n.changeLanguage('pt-BR');
    try {
      await call(api.GET('/api/status'));
      expect(calls[1].headers.get('Accept-Language')).toBe('pt-BR');
    } finally {
      await i18n.changeLanguage('en');
    }
  });

  it('turns a JSON error with a field into an ApiError carrying it', async () => {
    mockFetch(() => ({ status: 422, body: errorBody('invalid', 'This email is already used.', { field: 'email' }) }));
    const err = await caught(call(api.POST('/api/setup', { body: { name: 'A', email: 'a@b.co', password: 'x' } })));
    expect(err.status).toBe(422);
    expect(err.code).toBe('invalid');
    expect(err.message).toBe('This email is already used.');
    expect(err.field).toBe('email');
  });

  it('reads retryAfter from the Retry-After header on 429', async () => {
    mockFetch(() => ({
      status: 429,
      headers: { 'Retry-After': '17' },
      body: errorBody('throttled', 'Too many attempts.'),
    }));
    const err = await caught(call(api.POST('/api/sessions', { body: { email: 'a@b.co', password: 'p' } })));
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(17);
  });

  it('prefers retryAfter from the body when present', async () => {
    mockFetch(() => ({
      status: 429,
      headers: { 'Retry-After': '17' },
      body: errorBody('throttled', 'Too many attempts.', { retryAfter: 42 }),
    }));
    const err = await caught(call(api.POST('/api/sessions', { body: { email: 'a@b.co', password: 'p' } })));
    expect(err.retryAfter).toBe(42);
  });

  it('explains a non-JSON error body', async () => {
    mockFetch(() => ({ status: 502, text: '<html><body>Bad Gateway</body></html>', headers: { 'Content-Type': 'text/html' } }));
    const err = await caught(call(api.GET('/api/status')));
    expect(err.status).toBe(502);
    expect(err.code).toBe('bad_response');
    expect(err.message).toMatch(/^The server answered 502/);
  });

  it('explains a network failure', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const err = await caught(call(api.GET('/api/status')));
    expect(err.status).toBe(0);
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/^Cannot reach Gatehouse/);
  });

  it('drops the token on a 401 from any route but sign-in', async () => {
    setToken('tok-abc');
    mockFetch(() => ({ status: 401, body: errorBody('unauthenticated', 'Your session has ended.') }));
    const err = await caught(call(api.GET('/api/me')));
    expect(err.status).toBe(401);
    expect(getToken()).toBeNull();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('keeps the token on a 401 from POST /api/sessions (a wrong password)', async () => {
    setToken('tok-keep');
    mockFetch(() => ({ status: 401, body: errorBody('invalid_credentials', 'Email or password is wrong.') }));
    const err = await caught(call(api.POST('/api/sessions', { body: { email: 'a@b.co', password: 'nope' } })));
    expect(err.code).toBe('invalid_credentials');
    expect(err.message).toBe('Email or password is wrong.');
    expect(getToken()).toBe('tok-keep');
  });

  it("keeps the server's reason when a 401 ends the session, and forgets it on sign-in", async () => {
    setToken('tok-gone');
    const why = 'An administrator deactivated your account, so you were signed out.';
    mockFetch(() => ({ status: 401, body: errorBody('deactivated', why) }));
    await caught(call(api.GET('/api/projects')));
    expect(getToken()).toBeNull();
    expect(getSessionEndedReason()).toBe(why);
    setToken('tok-new');
    expect(getSessionEndedReason()).toBeNull();
    setToken(null);
    expect(getSessionEndedReason()).toBeNull();
  });

  it('never ends a newer session on a late 401 meant for an older one', async () => {
    setToken('tok-old');
    let answer: (() => void) | undefined;
    mockFetch(
      () =>
        new Promise((resolve) => {
          answer = () => resolve({ status: 401, body: errorBody('session_expired', 'Your session has ended.') });
        }),
    );
    const pending = caught(call(api.GET('/api/projects')));
    await vi.waitFor(() => expect(answer).toBeDefined());
    setToken('tok-new');
    answer!();
    await pending;
    expect(getToken()).toBe('tok-new');
  });

  it('tells listeners of every 401 and 403 but those of signing in and of /api/me', async () => {
    const heard: number[] = [];
    const stop = onRefused((status) => heard.push(status));
    try {
      setToken('tok');
      let status = 403;
      mockFetch(() => ({ status, body: errorBody('forbidden', 'No.') }));
      await caught(call(api.GET('/api/projects')));
      expect(heard).toEqual([403]);
      await caught(call(api.GET('/api/me')));
      await caught(call(api.POST('/api/sessions', { body: { email: 'a@b.co', password: 'p' } })));
      expect(heard).toEqual([403]);
      status = 422;
      await caught(call(api.GET('/api/projects')));
      expect(heard).toEqual([403]);
      status = 401;
      await caught(call(api.GET('/api/projects')));
      expect(heard).toEqual([403, 401]);
    } finally {
      stop();
    }
  });

  it('returns undefined data for 204 answers', async () => {
    setToken('tok');
    mockFetch(() => ({ status: 204 }));
    await expect(call(api.DELETE('/api/sessions/current'))).resolves.toBeUndefined();
  });
});
