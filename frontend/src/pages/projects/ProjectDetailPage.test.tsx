import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me, type Project } from '../../api/client';
import i18n from '../../i18n';
import { mockFetch, renderWithProviders } from '../../test/render';
import { makeMe } from '../../test/fixtures';
import { ProjectDetailPage } from './ProjectDetailPage';

const me: Me = makeMe({
  permissions: [
    { key: 'projects.view', scope: 'assigned' },
    { key: 'tasks.view', scope: 'all' },
  ],
  nav: ['overview', 'projects'],
});

const project: Project = {
  id: 'p1',
  name: 'Website',
  description: '',
  status: 'active',
  members: ['u-me', 'u-ned'],
  teams: [],
  clients: ['u-cleo'],
  taskCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  actions: [],
  names: { 'u-me': 'Sam Staff', 'u-ned': 'Ned New', 'u-cleo': 'Cleo Client' },
};

describe('ProjectDetailPage', () => {
  it('names members and clients from the project, asking no people endpoint', async () => {
    setToken('tok');
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/projects/p1') return { body: project };
      if (path.includes('people') || path === '/api/users')
        return { status: 403, body: { error: { code: 'forbidden', message: 'No.' } } };
      return { body: { items: [], next: null, total: 0 } };
    });
    renderWithProviders(<ProjectDetailPage me={me} />, { route: '/projects/p1', path: '/projects/:id' });
    await userEvent.click(await screen.findByRole('tab', { name: 'Members' }));
    const table = await screen.findByRole('table', { name: 'Project members' });
    expect(within(table).getByText('Ned New')).toBeTruthy();
    expect(within(table).getByText('Cleo Client')).toBeTruthy();
    const paths = calls.map((c) => new URL(c.url).pathname);
    expect(paths.filter((p) => p.includes('people') || p === '/api/users')).toEqual([]);
  });

  it('names the client company in the header when the project has one the viewer sees', async () => {
    setToken('tok');
    mockFetch((req) =>
      new URL(req.url).pathname === '/api/projects/p1'
        ? { body: { ...project, companyId: 'c-acme', companyName: 'Acme Corp' } }
        : { body: { items: [], next: null, total: 0 } },
    );
    renderWithProviders(<ProjectDetailPage me={me} />, { route: '/projects/p1', path: '/projects/:id' });
    await screen.findByRole('heading', { name: 'Website' });
    expect(screen.getByTitle('Client company').textContent).toBe('Acme Corp');
  });
});

describe('ProjectDetailPage in Brazilian Portuguese', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('names its tabs, buttons and an empty member list in Portuguese, and asks before deleting', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    const empty = { ...project, members: [], clients: [], taskCount: 1, actions: ['edit', 'members', 'delete'] };
    mockFetch((req) =>
      new URL(req.url).pathname === '/api/projects/p1' ? { body: empty } : { body: { items: [], next: null, total: 0 } },
    );
    renderWithProviders(<ProjectDetailPage me={me} />, { route: '/projects/p1', path: '/projects/:id' });
    await screen.findByRole('heading', { name: 'Website' });
    expect(screen.getByRole('tab', { name: 'Tarefas (1)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Arquivar' })).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: 'Membros' }));
    expect((await screen.findByText(/Ninguém está neste projeto ainda/)).textContent).toBe('Ninguém está neste projeto ainda: adicione membros.');
    await userEvent.click(screen.getByRole('button', { name: 'Excluir' }));
    const dialog = await screen.findByRole('dialog', { name: 'Excluir Website?' });
    expect(within(dialog).getByText(/1 tarefa, todos os seus arquivos/)).toBeTruthy();
    expect(within(dialog).getByLabelText('Digite Website para confirmar')).toBeTruthy();
  });
});
