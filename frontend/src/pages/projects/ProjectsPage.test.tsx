import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me } from '../../api/client';
import i18n from '../../i18n';
import { mockFetch, renderWithProviders } from '../../test/render';
import { ProjectsPage } from './ProjectsPage';

function me(permissions: Me['permissions'], kind: 'internal' | 'client' = 'internal'): Me {
  return {
    user: {
      id: 'u1',
      name: 'Sam Staff',
      email: 'sam@example.test',
      roleId: 'r',
      roleName: 'Staff',
      roleKind: kind,
      status: 'active',
      mustChangePassword: false,
      createdAt: '2026-01-01T00:00:00Z',
    },
    role: { id: 'r', name: 'Staff', kind },
    permissions,
    nav: [{ key: 'overview', label: 'Overview' }],
    emailConfigured: false,
    currency: 'EUR',
  };
}

const none = { items: [], next: null, total: 0 };

describe('ProjectsPage', () => {
  it('tells a staff member on no project to ask an administrator', async () => {
    setToken('tok');
    mockFetch(() => ({ body: none }));
    renderWithProviders(<ProjectsPage me={me([{ key: 'projects.view', scope: 'assigned' }])} />);
    expect(await screen.findByText('You are not on any project yet. Ask an administrator to add you to a project.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New project' })).toBeNull();
    expect(screen.queryByTestId('staff-without-projects')).toBeNull();
  });

  it('shows a client the number of tasks they see', async () => {
    setToken('tok');
    const project = { id: 'p1', name: 'Website', description: '', status: 'active', members: [], teams: [], clients: [], taskCount: 3, createdAt: '2026-01-01T00:00:00Z', actions: [] };
    mockFetch(() => ({ body: { items: [project], next: null, total: 1 } }));
    renderWithProviders(<ProjectsPage me={me([{ key: 'projects.view', scope: 'assigned' }], 'client')} />);
    expect(await screen.findByText('Website')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Tasks' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: '3' })).toBeTruthy();
  });

  it('lists staff without projects for those who may see users', async () => {
    setToken('tok');
    const { calls } = mockFetch((req) => {
      const url = new URL(req.url);
      if (url.pathname === '/api/users' && url.searchParams.get('withoutProjects') === 'true')
        return {
          body: {
            items: [{ ...me([]).user, id: 'u2', name: 'Fay Follower' }],
            next: null,
            total: 1,
          },
        };
      return { body: none };
    });
    renderWithProviders(
      <ProjectsPage
        me={me([
          { key: 'projects.view', scope: 'all' },
          { key: 'projects.create', scope: '' },
          { key: 'users.view', scope: 'all' },
        ])}
      />,
    );
    const card = await screen.findByTestId('staff-without-projects');
    expect(card.textContent).toMatch(/Fay Follower/);
    expect(card.textContent).toMatch(/Add them to a project/);
    expect(screen.getAllByRole('button', { name: 'New project' }).length).toBeGreaterThan(0);
    expect(calls.some((c) => new URL(c.url).searchParams.get('status') === 'active')).toBe(true);
  });
});

describe('ProjectsPage in Brazilian Portuguese', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('speaks Portuguese: header, filters, table, counts and the empty state', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    const project = { id: 'p1', name: 'Website', description: '', status: 'active', members: ['u1', 'u2'], teams: [], clients: ['c1'], taskCount: 3, createdAt: '2026-01-01T00:00:00Z', actions: ['edit'] };
    mockFetch(() => ({ body: { items: [project], next: null, total: 2 } }));
    renderWithProviders(<ProjectsPage me={me([{ key: 'projects.view', scope: 'all' }, { key: 'projects.create', scope: '' }])} />);
    expect(await screen.findByText('Website')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Projetos' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Novo projeto' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Tarefas' })).toBeTruthy();
    expect(screen.getByText('2 projetos')).toBeTruthy();
    expect(screen.getByText('2 membros, 1 cliente')).toBeTruthy();
    expect(screen.getByText('Ativo', { selector: '.mantine-Badge-label' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ações de Website' })).toBeTruthy();
  });

  it('tells a staff member on no project, in Portuguese, where their tasks are', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    mockFetch(() => ({ body: none }));
    renderWithProviders(<ProjectsPage me={me([{ key: 'projects.view', scope: 'assigned' }])} />);
    expect(await screen.findByText('Nenhum projeto ainda')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Tarefas' }).getAttribute('href')).toBe('/tasks');
  });
});
