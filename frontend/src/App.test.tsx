import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { getToken, setToken, type Me } from './api/client';
import { mockFetch, renderWithProviders } from './test/render';

function me(overrides: Partial<Me['user']> = {}, permissions: Me['permissions'] = []): Me {
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

  it('lists in the navbar only the pages the permissions allow, and signs out', async () => {
    setToken('tok');
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me({}, [{ key: 'invoices.view', scope: 'all' }, { key: 'activity.team', scope: '' }]) };
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
    expect(calls.some((c) => c.method === 'DELETE' && new URL(c.url).pathname === '/api/sessions/current')).toBe(true);
  });
});

describe('navFor', () => {
  it('names the users page after the scope of users.view', async () => {
    const { navFor } = await import('./routes');
    const labels = (perms: Me['permissions']) => navFor(me({}, perms)).map((n) => n.label);
    expect(labels([])).toEqual(['Overview']);
    expect(labels([{ key: 'users.view', scope: 'all' }, { key: 'roles.manage', scope: '' }])).toEqual([
      'Overview',
      'Users',
      'Teams',
      'Roles',
      'Role comparison',
    ]);
    expect(labels([{ key: 'invoices.view', scope: 'all' }, { key: 'users.view', scope: 'clients' }])).toEqual([
      'Overview',
      'Clients',
      'Role comparison',
    ]);
  });

  it('shows projects, tasks, boards, teams and task types by permission and role kind', async () => {
    const { navFor } = await import('./routes');
    const staff = [
      { key: 'projects.view', scope: 'assigned' },
      { key: 'tasks.view', scope: 'all' },
    ];
    expect(navFor(me({}, staff)).map((n) => n.label)).toEqual(['Overview', 'Projects', 'Tasks', 'Boards']);
    expect(
      navFor(me({}, [...staff, { key: 'teams.manage', scope: 'team' }, { key: 'tasks.types', scope: '' }])).map((n) => n.label),
    ).toEqual(['Overview', 'Projects', 'Tasks', 'Boards', 'Teams', 'Task types']);
    // The client portal: projects and their tasks, no boards.
    const client = { ...me({ roleKind: 'client' }, [...staff, { key: 'tasks.review', scope: '' }]), role: { id: 'c', name: 'Client', kind: 'client' as const } };
    expect(navFor(client).map((n) => n.label)).toEqual(['Overview', 'Projects', 'Tasks']);
  });
});
