import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { getToken, setToken, type Me } from './api/client';
import { mockFetch, renderWithProviders } from './test/render';

type Nav = Me['nav'];
const OVERVIEW: Nav = [{ key: 'overview', label: 'Overview' }];

function me(overrides: Partial<Me['user']> = {}, permissions: Me['permissions'] = [], nav: Nav = OVERVIEW): Me {
  return {
    user: {
      id: 'u1',
      name: 'Bill Bookkeeper',
      email: 'bill@example.test',
      roleId: 'r1',
      roleName: 'Bookkeeper',
      roleKind: 'internal',
      status: 'active',
      mustChangePassword: false,
      createdAt: '2026-01-01T00:00:00Z',
      ...overrides,
    },
    role: { id: 'r1', name: 'Bookkeeper', kind: 'internal' },
    permissions,
    nav,
    emailConfigured: false,
    currency: 'EUR',
  };
}

const status = { setupRequired: false, version: 'test' };

describe('App', () => {
  it('shows setup while the server says setupRequired', async () => {
    mockFetch(() => ({ body: { setupRequired: true, version: 'test' } }));
    renderWithProviders(<App />);
    expect(await screen.findByRole('heading', { name: 'Create the owner account' })).toBeTruthy();
  });

  it('falls back to sign-in when the session has ended (401)', async () => {
    setToken('stale');
    mockFetch((req) =>
      new URL(req.url).pathname === '/api/me'
        ? { status: 401, body: { error: { code: 'unauthenticated', message: 'Sign in again.' } } }
        : { body: status },
    );
    renderWithProviders(<App />);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(getToken()).toBeNull();
  });

  it('shows only the password change while mustChangePassword is set', async () => {
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me({ mustChangePassword: true }, [{ key: 'users.view', scope: 'all' }]) };
      return { body: status };
    });
    renderWithProviders(<App />);
    expect(await screen.findByRole('heading', { name: 'Choose a new password' })).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.queryByText('Users')).toBeNull();
  });

  it('lists in the navbar only the pages /api/me names, and signs out', async () => {
    setToken('tok');
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me')
        return {
          body: me({}, [{ key: 'invoices.view', scope: 'all' }, { key: 'activity.team', scope: '' }], [...OVERVIEW, { key: 'activity', label: 'Activity' }]),
        };
      if (path === '/api/permissions') return { body: { areas: [], items: [] } };
      if (path === '/api/sessions/current') return { status: 204 };
      return { body: status };
    });
    renderWithProviders(<App />);
    const nav = await screen.findByRole('navigation');
    await waitFor(() => expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Overview', 'Activity']));
    expect(screen.getByText('Bookkeeper', { selector: 'header *' })).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(getToken()).toBeNull();
    // Signing out oneself needs no explanation.
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls.some((c) => c.method === 'DELETE' && new URL(c.url).pathname === '/api/sessions/current')).toBe(true);
  });
});

describe('My account', () => {
  it("opens from the header's name, for everyone, whatever the menu", async () => {
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me() };
      if (path === '/api/status') return { body: status };
      if (path === '/api/me/notifications') return { body: { items: [], emailConfigured: false } };
      return { body: { areas: [], items: [] } };
    });
    renderWithProviders(<App />);
    await screen.findByRole('navigation');
    await userEvent.click(screen.getByRole('link', { name: /My account: Bill Bookkeeper/ }));
    expect(await screen.findByRole('heading', { name: 'My account' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Change my password' })).toBeTruthy();
    expect(await screen.findByText('Email is not set up yet, so no notifications are sent.')).toBeTruthy();
  });
});

describe('navFor', () => {
  it("is exactly the server's nav: its pages, its order, its labels", async () => {
    const { navFor } = await import('./routes');
    const labels = (nav: Nav, perms: Me['permissions'] = []) => navFor(me({}, perms, nav)).map((n) => [n.label, n.to]);
    expect(labels(OVERVIEW)).toEqual([['Overview', '/overview']]);
    // Permissions that once suggested pages add none the server did not list.
    expect(labels(OVERVIEW, [{ key: 'users.view', scope: 'all' }, { key: 'roles.manage', scope: '' }])).toEqual([['Overview', '/overview']]);
    expect(
      labels([
        ...OVERVIEW,
        { key: 'chat', label: 'Chat' },
        { key: 'users', label: 'Clients' },
        { key: 'compare', label: 'Role comparison' },
        { key: 'taskTypes', label: 'Task types' },
        { key: 'settings', label: 'Settings' },
        { key: 'emailLog', label: 'Email log' },
      ]),
    ).toEqual([
      ['Overview', '/overview'],
      ['Chat', '/chat'],
      ['Clients', '/users'],
      ['Role comparison', '/compare'],
      ['Task types', '/task-types'],
      ['Settings', '/settings'],
      ['Email log', '/email-log'],
    ]);
  });
});

describe('menu and routes follow /api/me', () => {
  const linksOf = () => within(screen.getByRole('navigation')).getAllByRole('link').map((a) => a.textContent);

  it('shows the menu the server sends, and "Not available" on a page it leaves out', async () => {
    setToken('tok');
    // The role holds roles.manage and users.view, but the server lists neither page.
    const perms = [
      { key: 'roles.manage', scope: '' },
      { key: 'users.view', scope: 'clients' },
    ];
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me({}, perms, [...OVERVIEW, { key: 'activity', label: 'Audit log' }]) };
      if (path === '/api/status') return { body: status };
      return { body: { items: [], areas: [], next: null, total: 0 } };
    });
    renderWithProviders(<App />, { route: '/roles' });
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeTruthy();
    expect(linksOf()).toEqual(['Overview', 'Audit log']);
  });

  it('asks /api/me again when the window regains focus', async () => {
    setToken('tok');
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me() };
      if (path === '/api/status') return { body: status };
      return { body: { areas: [], items: [] } };
    });
    renderWithProviders(<App />);
    await screen.findByRole('navigation');
    const asked = () => calls.filter((c) => new URL(c.url).pathname === '/api/me').length;
    const permissions = () => calls.filter((c) => new URL(c.url).pathname === '/api/permissions');
    await waitFor(() => expect(asked()).toBe(1));
    await waitFor(() => expect(permissions()).toHaveLength(1)); // the Overview has loaded
    act(() => {
      window.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(asked()).toBe(2));
    // Only /api/me: other answers are not fetched again on focus.
    expect(permissions()).toHaveLength(1);
  });

  it('asks /api/me again after a 403, so a narrowed role loses its menu entry at once', async () => {
    setToken('tok');
    let demoted = false;
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me({}, [], demoted ? OVERVIEW : [...OVERVIEW, { key: 'activity', label: 'Activity' }]) };
      if (path === '/api/status') return { body: status };
      if (path === '/api/audit') {
        // An administrator has just taken activity.team away.
        demoted = true;
        return { status: 403, body: { error: { code: 'forbidden', message: 'Your role does not allow this.' } } };
      }
      return { body: { areas: [], items: [] } };
    });
    renderWithProviders(<App />, { route: '/activity' });
    await waitFor(() => expect(linksOf()).toEqual(['Overview', 'Activity']));
    await waitFor(() => expect(linksOf()).toEqual(['Overview']));
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeTruthy();
    expect(calls.filter((c) => new URL(c.url).pathname === '/api/me')).toHaveLength(2);
  });

  it("tells someone whose session was ended why, on the sign-in screen", async () => {
    setToken('tok');
    const why = 'An administrator deactivated your account, so you were signed out. Ask them if you think this is a mistake.';
    let ended = false;
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/status') return { body: status };
      if (ended) return { status: 401, body: { error: { code: 'deactivated', message: why } } };
      if (path === '/api/me') return { body: me({}, [], [...OVERVIEW, { key: 'activity', label: 'Activity' }]) };
      return { body: { areas: [], items: [] } };
    });
    renderWithProviders(<App />);
    const nav = await screen.findByRole('navigation');
    ended = true;
    await userEvent.click(within(nav).getByRole('link', { name: 'Activity' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toContain(why);
    expect(getToken()).toBeNull();
  });
});

describe('the unread badge on Chat', () => {
  const CHAT: Nav = [...OVERVIEW, { key: 'chat', label: 'Chat' }];
  const overview = (unread: number) => ({ channels: [], people: [], unread });
  afterEach(() => vi.useRealTimers());

  it('polls GET /api/chat every 5 s and shows the total unread beside Chat, nothing at 0', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    setToken('tok');
    let unread = 3;
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me({}, [], CHAT) };
      if (path === '/api/status') return { body: status };
      if (path === '/api/chat') return { body: overview(unread) };
      return { body: { areas: [], items: [] } };
    });
    renderWithProviders(<App />);
    const nav = await screen.findByRole('navigation');
    expect(await within(nav).findByRole('link', { name: 'Chat 3 unread messages' })).toBeTruthy();
    unread = 0;
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    await waitFor(() => expect(within(nav).getByRole('link', { name: 'Chat' })).toBeTruthy());
    expect(within(nav).queryByTestId('nav-badge')).toBeNull();
    expect(calls.filter((c) => new URL(c.url).pathname === '/api/chat').length).toBeGreaterThanOrEqual(2);
  });

  it('never asks GET /api/chat when the menu has no Chat', async () => {
    setToken('tok');
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me() };
      if (path === '/api/status') return { body: status };
      return { body: { areas: [], items: [] } };
    });
    renderWithProviders(<App />);
    await screen.findByRole('navigation');
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(calls.some((c) => new URL(c.url).pathname === '/api/chat')).toBe(false);
  });
});
