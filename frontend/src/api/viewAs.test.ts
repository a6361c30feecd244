import { beforeEach, describe, expect, it } from 'vitest';
import { mockFetch } from '../test/render';
import { ApiError, api, call, setToken } from './client';
import { VIEW_AS_KEY, getViewAs, setViewAs } from './viewAs';

describe('view as', () => {
  beforeEach(() => {
    setToken('tok');
    setViewAs(null);
    vi.unstubAllGlobals();
  });

  it('sends X-View-As with every GET while viewing, and not otherwise', async () => {
    const { calls } = mockFetch(() => ({ body: { items: [], next: null, total: 0 } }));
    await call(api.GET('/api/projects'));
    expect(calls[0].headers.get('X-View-As')).toBeNull();

    setViewAs({ userId: 'u-cleo', name: 'Cleo Client' });
    expect(JSON.parse(sessionStorage.getItem(VIEW_AS_KEY)!)).toEqual({ userId: 'u-cleo', name: 'Cleo Client' });
    await call(api.GET('/api/projects'));
    expect(calls[1].headers.get('X-View-As')).toBe('u-cleo');
    expect(calls[1].headers.get('Authorization')).toBe('Bearer tok'); // still the viewer's session
  });

  it('refuses changes while viewing, without sending them', async () => {
    const { calls } = mockFetch(() => ({ body: {} }));
    setViewAs({ userId: 'u-cleo', name: 'Cleo Client' });
    const err = await call(api.POST('/api/projects', { body: { name: 'X' } })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
    expect((err as ApiError).message).toMatch(/read-only/);
    expect(calls).toHaveLength(0);

    // Signing out still works, and ends the viewing.
    mockFetch(() => ({ status: 204 }));
    await call(api.DELETE('/api/sessions/current'));
    setToken(null);
    expect(getViewAs()).toBeNull();
  });
});
