import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { setToken, type Me } from '../api/client';
import i18n from '../i18n';
import { makeMe } from '../test/fixtures';
import { mockFetch, renderWithProviders } from '../test/render';
import { ActivityPage } from './ActivityPage';
import { EmailLogPage } from './EmailLogPage';
import { RoleComparisonPage } from './RoleComparisonPage';

// The app's frame and its top-level pages in Brazilian Portuguese: a screen still writing
// English would fail here. Names, emails and the server's own words stay as they are.

const catalog = {
  areas: [{ key: 'projects', label: 'Projects' }],
  items: [{ key: 'projects.view', area: 'projects', label: 'View projects', description: 'See projects and their details.', scopes: ['assigned', 'all'] }],
};

describe('in Brazilian Portuguese', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('pt-BR');
  });
  afterEach(async () => {
    cleanup();
    setToken(null);
    await i18n.changeLanguage('en');
  });

  it('the menu, the header and the overview', async () => {
    setToken('tok');
    const me: Me = {
      ...makeMe({ permissions: [{ key: 'projects.view', scope: 'assigned' }], nav: [] }),
      nav: [
        { key: 'overview', label: 'Overview' },
        { key: 'users', label: 'Clients' },
        { key: 'compare', label: 'Role comparison' },
      ],
    };
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me') return { body: me };
      if (path === '/api/status') return { body: { setupRequired: false, version: 'test' } };
      if (path === '/api/permissions') return { body: catalog };
      return { body: { items: [] } };
    });
    renderWithProviders(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Principal' });
    expect(within(nav).getByText('Visão geral')).toBeTruthy();
    expect(within(nav).getByText('Clientes')).toBeTruthy();
    expect(within(nav).getByText('Comparação de funções')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sair' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Boas-vindas, Sam Staff' })).toBeTruthy();
    expect(screen.getByText('Abra Clientes para ver os seus clientes.')).toBeTruthy();
    expect(await screen.findByText('Ver projetos')).toBeTruthy();
    expect(screen.getByText('atribuídos')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Projetos' })).toBeTruthy();
  });

  it('the role comparison, with the catalog by key', async () => {
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/permissions') return { body: catalog };
      return {
        body: {
          items: [
            { id: 'admin', name: 'Admin', kind: 'internal', builtIn: true, permissions: [{ key: 'projects.view', scope: 'all' }], userCount: 1 },
          ],
        },
      };
    });
    renderWithProviders(<RoleComparisonPage />);
    expect(await screen.findByRole('table', { name: 'Comparação de funções' })).toBeTruthy();
    expect(screen.getByText('Permissão')).toBeTruthy();
    expect(screen.getByText('Projetos')).toBeTruthy();
    expect(screen.getByText('Ver projetos')).toBeTruthy();
    expect(screen.getByText('todos')).toBeTruthy();
  });

  it('the activity log', async () => {
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/audit/actions') return { body: { kinds: ['user'], actions: [{ action: 'user.create', kind: 'user' }] } };
      if (path === '/api/audit/people') return { body: { items: [], next: null } };
      return {
        body: {
          items: [
            { id: 'a1', at: '2026-11-30T10:00:00Z', kind: 'user', actorId: 'u1', actorName: 'Olivia Owner', action: 'user.create', targetType: 'user', targetId: 'u2', targetName: 'Sam Staff', details: { email: 'sam@example.test', generate: true } },
          ],
          next: null,
        },
      };
    });
    renderWithProviders(<ActivityPage />);
    const table = await screen.findByRole('table', { name: 'Atividade' });
    expect(await within(table).findByText('Adicionou um usuário')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Atividade' })).toBeTruthy();
    expect(within(table).getByText('Quem')).toBeTruthy();
    expect(within(table).getByText('E-mail:')).toBeTruthy();
    expect(within(table).getByText('sim')).toBeTruthy();
    expect(within(table).getByText('pessoa')).toBeTruthy();
  });

  it('the email log', async () => {
    setToken('tok');
    const me = makeMe({ permissions: [{ key: 'settings.email' }], nav: ['overview'] });
    mockFetch(() => ({
      body: {
        items: [
          { id: 'm1', kind: 'reset', to: 'sam@example.test', subject: '', state: 'failed', attempts: 3, lastError: '550 no such user', createdAt: '2026-11-30T10:00:00Z', nextAttemptAt: null, sentAt: null },
        ],
        next: null,
        total: 1,
      },
    }));
    renderWithProviders(<EmailLogPage me={me} />);
    expect(await screen.findByText('Redefinição de senha')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Registro de e-mails' })).toBeTruthy();
    expect(screen.getByText('1 e-mail')).toBeTruthy();
    expect(within(screen.getByTestId('mail-row')).getByText('Falhou')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Tentar agora: Redefinição de senha para sam@example.test' })).toBeTruthy();
    expect(screen.getByText('550 no such user')).toBeTruthy();
  });
});
