import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Board, type Permission, type Project, type Role } from '../../api/client';
import type { UserGrant } from '../../api/grants';
import { mockFetch, renderWithProviders } from '../../test/render';
import { GrantsPanel } from './GrantsPanel';
import { givableBoards, givablePermissions, givableProjects, givableRoles, givableScopes } from './grantOptions';

const grant = (over: Partial<UserGrant>): UserGrant => ({
  id: 'g1',
  userId: 'u-bea',
  userName: 'Bea Staff',
  kind: 'permission',
  permission: 'projects.view',
  scope: 'all',
  roleId: '',
  roleName: '',
  previousRoleId: '',
  previousRoleName: '',
  targetId: '',
  targetName: '',
  level: '',
  note: '',
  givenById: 'u-owner',
  givenByName: 'Olivia Owner',
  createdAt: '2026-11-22T09:00:00Z',
  until: '2026-11-29T23:59:00Z',
  endedAt: null,
  endedHow: '',
  canRevoke: true,
  held: false,
  ...over,
});

const catalog = {
  areas: [{ key: 'projects', label: 'Projects' }],
  items: [{ key: 'projects.view', area: 'projects', label: 'See projects', description: '', scopes: ['assigned', 'all'], kinds: ['internal', 'client'] }],
};

describe('GrantsPanel', () => {
  afterEach(() => setToken(null));

  it('lists every grant in force with who gave it and until when, filters by kind, and ends one after a confirmation', async () => {
    setToken('tok');
    let items = [
      grant({}),
      grant({ id: 'g2', userName: 'Carl Client', kind: 'project', permission: '', scope: '', targetId: 'p1', targetName: 'Launch', until: null, canRevoke: false }),
    ];
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/grants' && req.method === 'GET') return { body: { items } };
      if (path === '/api/grants/g1' && req.method === 'DELETE') {
        const ended = { ...items[0], endedAt: '2026-11-22T10:00:00Z', endedHow: 'revoked' };
        items = items.slice(1);
        return { body: ended };
      }
      if (path === '/api/permissions') return { body: catalog };
      return { status: 404, body: { error: { code: 'not_found', message: 'No such thing.' } } };
    });
    const user = userEvent.setup();
    renderWithProviders(<GrantsPanel />);
    const rows = await screen.findAllByTestId('grant-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Bea Staff')).toBeTruthy();
    expect(within(rows[0]).getByText('Olivia Owner')).toBeTruthy();
    expect(within(rows[1]).getByText('Member of the project Launch')).toBeTruthy();
    expect(within(rows[1]).getByText('Until ended')).toBeTruthy();
    // Only where the server says the reader may end it.
    expect(within(rows[1]).queryByRole('button', { name: 'End now' })).toBeNull();

    await user.click(screen.getByText('Projects'));
    expect(screen.getAllByTestId('grant-row')).toHaveLength(1);
    await user.click(screen.getByText('Boards'));
    expect(screen.getByText('None of this kind. Choose All to see the rest.')).toBeTruthy();
    await user.click(screen.getByText('All'));

    await user.click(within(screen.getAllByTestId('grant-row')[0]).getByRole('button', { name: 'End now' }));
    const dialog = await screen.findByRole('dialog', { name: 'End the extra access now?' });
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'End now' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && new URL(c.url).pathname === '/api/grants/g1')).toBe(true));
    await waitFor(() => expect(screen.getAllByTestId('grant-row')).toHaveLength(1));
  });

  it('says how to give extra access when there is none', async () => {
    setToken('tok');
    mockFetch((req) => (new URL(req.url).pathname === '/api/grants' ? { body: { items: [] } } : { body: catalog }));
    renderWithProviders(<GrantsPanel />);
    expect(await screen.findByText('No extra access in force')).toBeTruthy();
    expect(screen.getByText(/open them in the list beside this tab and use Extra access/)).toBeTruthy();
  });
});

describe('what the Extra access section offers', () => {
  const perm = (key: string, scopes: string[], kinds: Permission['kinds'] = ['internal']): Permission =>
    ({ key, area: 'x', label: key, description: '', scopes, kinds }) as Permission;
  const role = (id: string, kind: Role['kind'], permissions: Role['permissions'], actions: string[] = []): Role =>
    ({ id, name: id, kind, builtIn: false, description: '', permissions, assignableRoleIds: [], userCount: 0, mayGive: true, actions }) as Role;

  it('permissions: only what the asker holds, at scopes within theirs, that the role lacks, for its kind', () => {
    const staff = role('staff', 'internal', [{ key: 'projects.view', scope: 'assigned' }, { key: 'tasks.create', scope: '' }]);
    const mine = [
      { key: 'projects.view', scope: 'all' },
      { key: 'tasks.create', scope: '' },
      { key: 'users.view', scope: 'staff' },
    ];
    const cat = [perm('projects.view', ['assigned', 'all']), perm('tasks.create', []), perm('users.view', ['staff', 'clients', 'all']), perm('invoices.pay', [], ['client'])];
    expect(givablePermissions(cat, mine, staff).map((p) => p.key)).toEqual(['projects.view', 'users.view']);
    // The role holds "assigned": only the wider "all" is a grant.
    expect(givableScopes(cat[0], mine, staff)).toEqual(['all']);
    // Within the asker's own scope.
    expect(givableScopes(cat[2], mine, staff)).toEqual(['staff']);
    const client = role('client', 'client', []);
    expect(givablePermissions(cat, [...mine, { key: 'invoices.pay', scope: '' }], client).map((p) => p.key)).toEqual(['invoices.pay']);
  });

  it('roles, projects and boards: only what the server accepts from this asker', () => {
    const roles = [
      role('staff', 'internal', [], ['users.edit']),
      role('lead', 'internal', [], ['users.edit']),
      role('admin', 'internal', [], []),
      role('client', 'client', [], ['users.edit']),
    ];
    expect(givableRoles(roles, { roleId: 'staff', roleKind: 'internal' }).map((r) => r.id)).toEqual(['lead']);

    const project = (id: string, actions: string[], members: string[] = [], clients: string[] = []) =>
      ({ id, name: id, status: 'active', members, clients, teams: [], actions }) as unknown as Project;
    const projects = [project('p1', ['members']), project('p2', []), project('p3', ['members'], ['u-bea']), project('p4', ['members'], [], ['u-carl'])];
    expect(givableProjects(projects, { id: 'u-bea', roleKind: 'internal' }).map((p) => p.id)).toEqual(['p1', 'p4']);
    expect(givableProjects(projects, { id: 'u-carl', roleKind: 'client' }).map((p) => p.id)).toEqual(['p1', 'p3']);

    const board = (id: string, visibility: Board['visibility'], actions: string[], access: Board['access'] = []) =>
      ({ id, name: id, visibility, actions, access, stages: [], myLevel: 'editor' }) as Board;
    const boards = [
      board('b1', 'invited', ['edit', 'work', 'invite']),
      board('b2', 'all', ['edit', 'work', 'invite']),
      board('b3', 'invited', ['edit', 'work']),
      board('b4', 'invited', ['edit', 'work', 'invite'], [{ type: 'user', id: 'u-bea', level: 'member' }]),
    ];
    expect(givableBoards(boards, { id: 'u-bea', roleKind: 'internal' }).map((b) => b.id)).toEqual(['b1']);
    expect(givableBoards(boards, { id: 'u-carl', roleKind: 'client' })).toEqual([]);
  });
});
