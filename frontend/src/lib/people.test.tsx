import { QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { setToken, type Me, type User } from '../api/client';
import { makeQueryClient } from '../Providers';
import { mockFetch } from '../test/render';
import { UNNAMED_FOR_CLIENT, UNNAMED_INTERNAL, nameOnProject, usePeople, userOptions } from './people';

function meOf(kind: 'internal' | 'client', permissions: Me['permissions']): Me {
  return {
    user: {
      id: 'u-me',
      name: 'Mia Me',
      email: 'mia@example.test',
      roleId: 'r',
      roleName: 'Role',
      roleKind: kind,
      status: 'active',
      mustChangePassword: false,
      createdAt: '2026-01-01T00:00:00Z',
    },
    role: { id: 'r', name: 'Role', kind },
    permissions,
    nav: [{ key: 'overview', label: 'Overview' }],
    emailConfigured: false,
    currency: 'EUR',
  };
}

const staff = meOf('internal', [{ key: 'projects.view', scope: 'assigned' }]);
const admin = meOf('internal', [{ key: 'users.view', scope: 'all' }]);
const bookkeeper = meOf('internal', [{ key: 'users.view', scope: 'clients' }]);
const client = meOf('client', [{ key: 'projects.view', scope: 'assigned' }]);

function user(id: string, name: string, roleKind: 'internal' | 'client' = 'internal', status: User['status'] = 'active'): User {
  return { ...staff.user, id, name, roleKind, status, email: `${id}@example.test` };
}

const forbidden = { status: 403, body: { error: { code: 'forbidden', message: 'No.' } } };

/** Serves /api/users (the list), /api/people and /api/projects/{id}/people, recording paths. */
function serve() {
  const { calls } = mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/users')
      return {
        body: {
          items: [user('u-ann', 'Ann Admin'), user('u-dee', 'Dee Gone', 'internal', 'deactivated'), user('u-cli', 'Cleo Client', 'client')],
          next: null,
          total: 3,
        },
      };
    if (path === '/api/people')
      return {
        body: {
          items: [
            { id: 'u-ann', name: 'Ann Admin', kind: 'internal' },
            { id: 'u-ned', name: 'Ned New', kind: 'internal' },
          ],
          next: null,
        },
      };
    if (path === '/api/projects/p1/people')
      return {
        body: {
          items: [
            { id: 'u-ned', name: 'Ned New', kind: 'internal' },
            { id: 'u-cli', name: 'Cleo Client', kind: 'client' },
          ],
          next: null,
        },
      };
    if (path === '/api/projects/p2/people') return { body: { items: [{ id: 'u-pat', name: 'Pat Partner', kind: 'client' }], next: null } };
    return forbidden;
  });
  const paths = () => calls.map((c) => new URL(c.url).pathname);
  return { paths };
}

function wrapper({ children }: { children: ReactNode }) {
  const qc = makeQueryClient();
  qc.setDefaultOptions({ queries: { retry: false } });
  return <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
}

describe('usePeople', () => {
  it('names internal people from /api/people for staff without users.view', async () => {
    setToken('tok');
    const { paths } = serve();
    const { result } = renderHook(() => usePeople(staff), { wrapper });
    await waitFor(() => expect(result.current.isPending).toBe(false));
    expect(result.current.nameOf('u-ned')).toBe('Ned New');
    expect(result.current.nameOf('u-me')).toBe('Mia Me');
    expect(result.current.nameOf('u-gone')).toBe(UNNAMED_INTERNAL);
    expect(result.current.nameOf('u-gone')).not.toBe('Someone else');
    expect(result.current.listed).toBe(false);
    expect(userOptions(result.current.all, 'internal').map((o) => o.label)).toEqual(['Ann Admin', 'Ned New']);
    expect(paths()).toContain('/api/people');
    expect(paths()).not.toContain('/api/users');
  });

  it('keeps the user list for users.view over everyone, and asks nothing else', async () => {
    setToken('tok');
    const { paths } = serve();
    const { result } = renderHook(() => usePeople(admin), { wrapper });
    await waitFor(() => expect(result.current.isPending).toBe(false));
    expect(result.current.nameOf('u-dee')).toBe('Dee Gone (deactivated)');
    expect(result.current.listed).toBe(true);
    // Pickers offer active people; a deactivated one only when kept (and marked).
    expect(userOptions(result.current.all, 'internal').map((o) => o.label)).toEqual(['Ann Admin']);
    expect(userOptions(result.current.all, 'internal', ['u-dee']).map((o) => o.label)).toEqual(['Ann Admin', 'Dee Gone (deactivated)']);
    expect(paths()).toContain('/api/users');
    expect(paths()).not.toContain('/api/people');
  });

  it('adds /api/people when users.view covers clients only (no staff in the list)', async () => {
    setToken('tok');
    const { paths } = serve();
    const { result } = renderHook(() => usePeople(bookkeeper), { wrapper });
    await waitFor(() => expect(result.current.isPending).toBe(false));
    expect(paths()).toEqual(expect.arrayContaining(['/api/users', '/api/people']));
    expect(userOptions(result.current.all, 'internal').map((o) => o.label)).toEqual(['Ann Admin', 'Ned New']);
  });

  it("names people for a portal user from the project's people only", async () => {
    setToken('tok');
    const { paths } = serve();
    const { result } = renderHook(() => usePeople(client, ['p1']), { wrapper });
    await waitFor(() => expect(result.current.isPending).toBe(false));
    expect(result.current.nameOf('u-ned')).toBe('Ned New');
    expect(result.current.nameOf('u-ann')).toBe(UNNAMED_FOR_CLIENT);
    expect(result.current.all).toEqual([]);
    expect(result.current.onProject('p1').map((p) => p.name)).toEqual(['Ned New', 'Cleo Client']);
    expect(paths()).not.toContain('/api/people');
    expect(paths()).not.toContain('/api/users');
  });

  it('says nothing misleading while loading', async () => {
    setToken('tok');
    serve();
    const { result } = renderHook(() => usePeople(staff), { wrapper });
    expect(result.current.nameOf('u-ned')).toBe('…');
    await waitFor(() => expect(result.current.nameOf('u-ned')).toBe('Ned New'));
  });
});

describe('nameOnProject', () => {
  it("names a project's people from the project itself, and says when an account is gone", () => {
    const project = { names: { 'u-ned': 'Ned New' } };
    expect(nameOnProject(project, 'u-ned')).toBe('Ned New');
    expect(nameOnProject(project, 'u-gone')).toBe('Deleted user');
  });
});
