import { screen, waitFor, within, cleanup } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type AccessEntry, type AccessPath } from '../api/client';
import i18n from '../i18n';
import { pathLabel } from '../lib/access';
import { mockFetch, renderWithProviders } from '../test/render';
import { AccessTab } from './AccessTab';

const entries: AccessEntry[] = [
  { userId: 'u-admin', name: 'Olivia Owner', roleName: 'Admin', paths: [{ kind: 'role_scope', name: 'Admin', removable: false }] },
  { userId: 'u-sam', name: 'Sam Staff', roleName: 'Staff', paths: [{ kind: 'member', via: 'p1', name: 'Alpha', removable: true }] },
  {
    userId: 'u-dee',
    name: 'Dee Designer',
    roleName: 'Staff',
    paths: [
      { kind: 'team', via: 'team-design', name: 'Design', removable: true },
      { kind: 'board_invite', via: 'b1', name: 'Sprint', level: 'editor', removable: true },
    ],
  },
  { userId: 'u-cleo', name: 'Cleo Client', roleName: 'Client', paths: [{ kind: 'client', via: 'p1', name: 'Alpha', removable: true }] },
  {
    userId: 'u-fay',
    name: 'Fay Follower',
    roleName: 'Staff',
    paths: [
      { kind: 'follower', via: 't1', removable: true },
      { kind: 'assignee', via: 't1', removable: false },
    ],
  },
];

function serve() {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (req.method === 'GET' && path === '/api/tasks/t1/access') return { body: { items: entries, next: null } };
    if (req.method === 'GET' && path === '/api/projects/p1')
      return {
        body: {
          id: 'p1',
          name: 'Alpha',
          description: '',
          status: 'active',
          members: ['u-sam', 'u-other'],
          teams: [],
          clients: ['u-cleo', 'u-client2'],
          taskCount: 1,
          createdAt: '2026-01-01T00:00:00Z',
          actions: ['members'],
        },
      };
    if (req.method === 'GET' && path === '/api/teams/team-design')
      return { body: { id: 'team-design', name: 'Design', description: '', members: ['u-dee', 'u-x'], leaders: ['u-dee'], actions: ['edit'] } };
    if (req.method === 'GET' && path === '/api/boards/b1')
      return {
        body: {
          id: 'b1',
          name: 'Sprint',
          visibility: 'invited',
          stages: [],
          access: [
            { type: 'user', id: 'u-dee', level: 'editor' },
            { type: 'team', id: 'u-dee', level: 'member' },
            { type: 'user', id: 'u-x', level: 'member' },
          ],
          myLevel: 'editor',
          actions: ['edit'],
        },
      };
    if (req.method === 'GET' && path === '/api/users') return { body: { items: [], next: null, total: 0 } };
    if (req.method === 'PATCH' || req.method === 'DELETE') return { body: {} };
    return { status: 404, body: { error: { code: 'not_found', message: 'No such thing.' } } };
  });
}

async function renderTab() {
  setToken('tok');
  const server = serve();
  renderWithProviders(<AccessTab type="task" id="t1" />);
  await screen.findByRole('table', { name: 'Access to this task' });
  return server;
}

const row = (name: string) => screen.getByRole('row', { name: new RegExp(name) });

async function removeAndConfirm(badge: string, userName: string) {
  await userEvent.click(within(row(userName)).getByRole('button', { name: `Remove: ${badge}` }));
  const dialog = await screen.findByRole('dialog', { name: 'Remove access' });
  await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
  await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Remove access' })).toBeNull());
}

function mutations(calls: Request[]) {
  return calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${new URL(c.url).pathname}`);
}

describe('pathLabel', () => {
  it('names every kind of path', () => {
    const label = (p: Partial<AccessPath>) => pathLabel({ removable: false, kind: 'member', ...p } as AccessPath).text;
    expect(label({ kind: 'role_scope', name: 'Admin' })).toBe('Role: Admin sees all projects');
    expect(label({ kind: 'member', name: 'Alpha' })).toBe('Member');
    expect(label({ kind: 'team', name: 'Design' })).toBe('Team: Design');
    expect(label({ kind: 'team', name: 'Design', level: 'editor' })).toBe('Team: Design (editor)');
    expect(label({ kind: 'client' })).toBe('Client');
    expect(label({ kind: 'board_invite', level: 'editor' })).toBe('Invited as editor');
    expect(label({ kind: 'board_invite', level: 'member' })).toBe('Invited as member');
    expect(label({ kind: 'board_open', name: 'Sprint' })).toBe('Open board: Sprint');
    expect(label({ kind: 'follower' })).toBe('Follower');
    expect(label({ kind: 'assignee' })).toBe('Assigned');
    expect(label({ kind: 'grant', name: 'Olivia Owner' })).toBe('Extra grant by Olivia Owner');
    // The end is the organisation's day (UTC in the tests).
    expect(label({ kind: 'grant', name: 'Olivia Owner', until: '2026-11-29T23:59:00Z' })).toMatch(/^Extra grant by Olivia Owner until .*29/);
  });
});

describe('AccessTab', () => {
  it('lists people with their paths as badges, removable ones with a remove button', async () => {
    await renderTab();
    expect(within(row('Olivia Owner')).getByText('Role: Admin sees all projects')).toBeTruthy();
    expect(within(row('Olivia Owner')).queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(within(row('Olivia Owner')).getByText('Admin')).toBeTruthy();
    expect(within(row('Sam Staff')).getByText('Member')).toBeTruthy();
    expect(within(row('Dee Designer')).getByText('Team: Design')).toBeTruthy();
    expect(within(row('Dee Designer')).getByText('Invited as editor')).toBeTruthy();
    expect(within(row('Cleo Client')).getAllByText('Client')).toHaveLength(2); // the role, and the path
    expect(within(row('Fay Follower')).getByText('Follower')).toBeTruthy();
    expect(within(row('Fay Follower')).getByText('Assigned')).toBeTruthy();
    expect(within(row('Fay Follower')).getByRole('button', { name: 'Remove: Follower' })).toBeTruthy();
    expect(within(row('Fay Follower')).queryByRole('button', { name: 'Remove: Assigned' })).toBeNull();
  });

  it('asks before removing, and does nothing on cancel', async () => {
    const server = await renderTab();
    await userEvent.click(within(row('Sam Staff')).getByRole('button', { name: 'Remove: Member' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove access' });
    expect(within(dialog).getByText('Remove Sam Staff from the members of Alpha?')).toBeTruthy();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Remove access' })).toBeNull());
    expect(mutations(server.calls)).toEqual([]);
  });

  it('removes a member through PATCH /api/projects/{via}, keeping the other members', async () => {
    const server = await renderTab();
    await removeAndConfirm('Member', 'Sam Staff');
    expect(mutations(server.calls)).toEqual(['PATCH /api/projects/p1']);
    expect(await server.calls.find((c) => c.method === 'PATCH')!.json()).toEqual({ members: ['u-other'] });
  });

  it('detaches a client through PATCH /api/projects/{via} clients', async () => {
    const server = await renderTab();
    await removeAndConfirm('Client', 'Cleo Client');
    expect(mutations(server.calls)).toEqual(['PATCH /api/projects/p1']);
    expect(await server.calls.find((c) => c.method === 'PATCH')!.json()).toEqual({ clients: ['u-client2'] });
  });

  it('takes a person out of the team through PATCH /api/teams/{via}', async () => {
    const server = await renderTab();
    await removeAndConfirm('Team: Design', 'Dee Designer');
    expect(mutations(server.calls)).toEqual(['PATCH /api/teams/team-design']);
    expect(await server.calls.find((c) => c.method === 'PATCH')!.json()).toEqual({ members: ['u-x'], leaders: [] });
  });

  it('withdraws only that user invitation through PATCH /api/boards/{via}', async () => {
    const server = await renderTab();
    await removeAndConfirm('Invited as editor', 'Dee Designer');
    expect(mutations(server.calls)).toEqual(['PATCH /api/boards/b1']);
    expect(await server.calls.find((c) => c.method === 'PATCH')!.json()).toEqual({
      access: [
        { type: 'team', id: 'u-dee', level: 'member' },
        { type: 'user', id: 'u-x', level: 'member' },
      ],
    });
  });

  it('stops a follower through DELETE /api/tasks/{id}/followers/{userId}', async () => {
    const server = await renderTab();
    await removeAndConfirm('Follower', 'Fay Follower');
    expect(mutations(server.calls)).toEqual(['DELETE /api/tasks/t1/followers/u-fay']);
  });

  it('refreshes the list after a removal', async () => {
    const server = await renderTab();
    const before = server.calls.filter((c) => new URL(c.url).pathname === '/api/tasks/t1/access').length;
    await removeAndConfirm('Follower', 'Fay Follower');
    await waitFor(() =>
      expect(server.calls.filter((c) => new URL(c.url).pathname === '/api/tasks/t1/access').length).toBeGreaterThan(before),
    );
  });

  it('shows the server refusal in the dialog and keeps it open', async () => {
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/tasks/t1/access') return { body: { items: entries, next: null } };
      if (req.method === 'DELETE')
        return { status: 403, body: { error: { code: 'forbidden', message: 'You may not change the followers of this task.' } } };
      return { body: { items: [], next: null, total: 0 } };
    });
    renderWithProviders(<AccessTab type="task" id="t1" />);
    await screen.findByRole('table', { name: 'Access to this task' });
    await userEvent.click(within(row('Fay Follower')).getByRole('button', { name: 'Remove: Follower' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove access' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await within(dialog).findByText('You may not change the followers of this task.')).toBeTruthy();
  });
});

describe('AccessTab in Brazilian Portuguese', () => {
  afterEach(async () => {
    cleanup(); // before the language changes back, so no screen redraws outside act
    await i18n.changeLanguage('en');
  });

  it('says everything in Portuguese, the paths and the confirmation too', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    serve();
    renderWithProviders(<AccessTab type="task" id="t1" />);
    await screen.findByRole('table', { name: 'Acesso a esta tarefa' });
    expect(screen.getByText('Quem pode ver esta tarefa')).toBeTruthy();
    expect(within(row('Olivia Owner')).getByText('Função: Admin vê todos os projetos')).toBeTruthy();
    expect(within(row('Dee Designer')).getByText('Convidado como editor')).toBeTruthy();
    await userEvent.click(within(row('Sam Staff')).getByRole('button', { name: 'Remover: Membro' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remover acesso' });
    expect(within(dialog).getByText('Remover Sam Staff dos membros de Alpha?')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Cancelar' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Explicar' })).toBeTruthy();
  });
});
