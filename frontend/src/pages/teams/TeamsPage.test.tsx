import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me, type Team } from '../../api/client';
import i18n from '../../i18n';
import { mockFetch, renderWithProviders } from '../../test/render';
import { TeamsPage } from './TeamsPage';

function lead(permissions: Me['permissions']): Me {
  return {
    user: {
      id: 'u-lead',
      name: 'Lea Lead',
      email: 'lea@example.test',
      roleId: 'lead',
      roleName: 'Lead',
      roleKind: 'internal',
      status: 'active',
      mustChangePassword: false,
      createdAt: '2026-01-01T00:00:00Z',
    },
    role: { id: 'lead', name: 'Lead', kind: 'internal' },
    permissions,
    nav: [{ key: 'overview', label: 'Overview' }],
    emailConfigured: false,
    currency: 'EUR',
  };
}

const team: Team = { id: 't1', name: 'Design', description: '', members: ['u-lead', 'u-sam'], leaders: ['u-lead'], actions: ['edit'] };

function serve(t: Team = team) {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/teams') return { body: { items: [t], next: null } };
    if (path === '/api/people')
      return {
        body: {
          items: [
            { id: 'u-lead', name: 'Lea Lead', kind: 'internal' },
            { id: 'u-sam', name: 'Sam Staff', kind: 'internal' },
            { id: 'u-ned', name: 'Ned New', kind: 'internal' },
          ],
          next: null,
        },
      };
    if (path === '/api/users') return { body: { items: [], next: null, total: 0 } };
    return { status: 404, body: { error: { code: 'not_found', message: 'No such thing.' } } };
  });
}

describe('TeamsPage', () => {
  it('names members and offers every internal user from /api/people without users.view', async () => {
    setToken('tok');
    const { calls } = serve();
    renderWithProviders(<TeamsPage me={lead([{ key: 'teams.manage', scope: 'team' }])} />);
    expect(await screen.findByText('Lea Lead, Sam Staff')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Edit Design' }));
    const members = (await screen.findAllByLabelText('Members')).find((el) => el.tagName === 'INPUT')!;
    await userEvent.click(members);
    expect(await screen.findByRole('option', { name: 'Ned New' })).toBeTruthy();
    expect(calls.map((c) => new URL(c.url).pathname)).not.toContain('/api/users');
  });

  it('offers only the people the server names as candidates, and keeps current members', async () => {
    setToken('tok');
    serve({ ...team, candidates: ['u-lead'] });
    renderWithProviders(<TeamsPage me={lead([{ key: 'teams.manage', scope: 'team' }])} />);
    await screen.findByText('Lea Lead, Sam Staff');
    await userEvent.click(screen.getByRole('button', { name: 'Edit Design' }));
    const members = (await screen.findAllByLabelText('Members')).find((el) => el.tagName === 'INPUT')!;
    await userEvent.click(members);
    await screen.findByRole('option', { name: 'Lea Lead' });
    expect(screen.queryByRole('option', { name: 'Ned New' })).toBeNull();
  });

  it('keeps the user list for those with users.view', async () => {
    setToken('tok');
    const { calls } = serve();
    renderWithProviders(<TeamsPage me={lead([{ key: 'teams.manage', scope: 'team' }, { key: 'users.view', scope: 'staff' }])} />);
    await screen.findByText('Design');
    const paths = () => calls.map((c) => new URL(c.url).pathname);
    await vi.waitFor(() => expect(paths()).toContain('/api/users'));
    expect(paths()).not.toContain('/api/people');
  });
});

describe('TeamsPage in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('heads the page, the table and the form in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    serve();
    renderWithProviders(<TeamsPage me={lead([{ key: 'teams.manage', scope: 'all' }])} />);
    expect(await screen.findByText('Lea Lead, Sam Staff')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Equipes' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Líderes' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Editar Design' }));
    expect((await screen.findAllByLabelText('Membros')).length).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Salvar alterações' })).toBeTruthy();
  });
});
