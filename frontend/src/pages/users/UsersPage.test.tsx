import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me, type User } from '../../api/client';
import type { UserWithPassword } from '../../api/users';
import i18n from '../../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { UsersPage } from './UsersPage';

function viewer(permissions: Me['permissions']): Me {
  return {
    user: {
      id: 'u-me',
      name: 'Tia Teamlead',
      email: 'tia@example.test',
      roleId: 'lead',
      roleName: 'Team Lead',
      roleKind: 'internal',
      status: 'active',
      mustChangePassword: false,
      createdAt: '2026-01-01T00:00:00Z',
    },
    role: { id: 'lead', name: 'Team Lead', kind: 'internal' },
    permissions,
    emailConfigured: false,
    currency: 'EUR',
    nav: [
      { key: 'overview', label: 'Overview' },
      { key: 'users', label: 'Team' },
    ],
  };
}

const person = (id: string, name: string, actions: string[], status: User['status'] = 'active'): User => ({
  id,
  name,
  email: `${id}@example.test`,
  roleId: 'staff',
  roleName: 'Staff',
  roleKind: 'internal',
  status,
  mustChangePassword: false,
  createdAt: '2026-01-01T00:00:00Z',
  actions,
});

function serve(users: User[]) {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/users') return { body: { items: users, next: null, total: users.length } };
    if (path === '/api/roles') return { body: { items: [], next: null } };
    if (path.endsWith('/task-rules')) return { body: { receiveFromOthers: true, openForOthers: true } };
    if (path.endsWith('/identities')) return { body: { items: [] } };
    return { body: { items: [], next: null } };
  });
}

const rowOf = (name: string) => screen.getByRole('row', { name: new RegExp(name) });
const buttonsIn = (el: HTMLElement) => within(el).queryAllByRole('button').map((b) => b.textContent);

describe('UsersPage', () => {
  it("offers per person what that person's actions say, whatever the viewer's role holds", async () => {
    setToken('tok');
    // The role holds every user permission; the server still allows different things per person.
    serve([
      person('u-ann', 'Ann Admin', []),
      person('u-dee', 'Dee Desk', ['users.deactivate']),
      person('u-eve', 'Eve Editor', ['users.edit', 'users.credentials', 'users.delete', 'activity.team']),
      person('u-old', 'Olly Old', ['users.deactivate'], 'deactivated'),
    ]);
    const me = viewer(['users.view', 'users.edit', 'users.deactivate', 'users.delete', 'activity.team'].map((key) => ({ key, scope: 'all' })));
    renderWithProviders(<UsersPage me={me} />);
    await screen.findByText('Ann Admin');
    expect(screen.getByRole('heading', { name: 'Team' })).toBeTruthy();

    // Nothing to do to Ann: her name opens nothing, and nobody views as her.
    expect(buttonsIn(rowOf('Ann Admin'))).toEqual([]);
    expect(screen.queryByRole('button', { name: 'View as Ann Admin' })).toBeNull();
    expect(screen.getByRole('button', { name: 'View as Eve Editor' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'View as Dee Desk' })).toBeNull();

    // Dee: deactivation only — no profile form, no password reset, no deletion.
    await userEvent.click(within(rowOf('Dee Desk')).getByRole('button', { name: 'Dee Desk' }));
    let drawer = await screen.findByRole('dialog');
    expect(within(drawer).getByRole('button', { name: 'Deactivate' })).toBeTruthy();
    expect(within(drawer).queryByRole('button', { name: 'Reset password' })).toBeNull();
    expect(within(drawer).queryByRole('button', { name: 'Delete user' })).toBeNull();
    expect(within(drawer).queryByLabelText('Email')).toBeNull();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // Olly is deactivated: reactivation is what is offered.
    await userEvent.click(within(rowOf('Olly Old')).getByRole('button', { name: 'Olly Old' }));
    drawer = await screen.findByRole('dialog');
    expect(within(drawer).getByRole('button', { name: 'Reactivate' })).toBeTruthy();
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // Eve: edit and delete, no deactivation.
    await userEvent.click(within(rowOf('Eve Editor')).getByRole('button', { name: 'Eve Editor' }));
    drawer = await screen.findByRole('dialog');
    expect(within(drawer).getByLabelText('Email')).toBeTruthy();
    expect(within(drawer).getByRole('button', { name: 'Reset password' })).toBeTruthy();
    expect(within(drawer).getByRole('button', { name: 'Delete user' })).toBeTruthy();
    expect(within(drawer).queryByRole('button', { name: 'Deactivate' })).toBeNull();
  });

  it('offers what the server allows even when the role held by the viewer suggests nothing', async () => {
    setToken('tok');
    // A team leader: teams.manage, no users.* beyond viewing — the server decides per person.
    serve([person('u-sam', 'Sam Staff', ['users.deactivate', 'activity.team'])]);
    renderWithProviders(<UsersPage me={viewer([{ key: 'users.view', scope: 'staff' }])} />);
    expect(await screen.findByRole('button', { name: 'View as Sam Staff' })).toBeTruthy();
    await userEvent.click(within(rowOf('Sam Staff')).getByRole('button', { name: 'Sam Staff' }));
    const drawer = await screen.findByRole('dialog');
    expect(within(drawer).getByRole('button', { name: 'Deactivate' })).toBeTruthy();
  });
  describe('adding someone', () => {
    const staffRole = { id: 'staff', name: 'Staff', kind: 'internal', builtIn: true, description: '', permissions: [], assignableRoleIds: [], userCount: 0, mayGive: true, actions: ['users.create', 'users.edit'] };
    const creator = (emailConfigured: boolean): Me => ({
      ...viewer([{ key: 'users.view', scope: 'all' }, { key: 'users.create', scope: '' }]),
      emailConfigured,
    });

    function serveCreate(answer: Partial<UserWithPassword>) {
      return mockFetch((req) => {
        const path = new URL(req.url).pathname;
        if (path === '/api/users' && req.method === 'POST')
          return { status: 201, body: { ...person('u-bill', 'Bill Bookkeeper', []), email: 'bill@example.test', ...answer } };
        if (path === '/api/users') return { body: { items: [], next: null, total: 0 } };
        if (path === '/api/roles') return { body: { items: [staffRole], next: null } };
        if (path === '/api/status') return { body: { setupRequired: false, version: 'test' } };
        return { body: { items: [], next: null } };
      });
    }

    async function addBill(user: ReturnType<typeof userEvent.setup>) {
      await user.click((await screen.findAllByRole('button', { name: 'Add user' }))[0]);
      const drawer = await screen.findByRole('dialog');
      await user.type(within(drawer).getByLabelText('Full name'), 'Bill Bookkeeper');
      await user.type(within(drawer).getByLabelText('Email'), 'bill@example.test');
      await user.click(within(drawer).getAllByLabelText('Role').find((el) => el.tagName === 'INPUT')!);
      await user.click(await screen.findByRole('option', { name: 'Staff' }));
      await user.click(within(drawer).getByRole('button', { name: 'Add user' }));
    }

    it('says a welcome email is on its way, and shows no password', async () => {
      setToken('tok');
      const { calls } = serveCreate({ welcome: 'queued', mailId: 'm1' });
      const user = userEvent.setup();
      renderWithProviders(<UsersPage me={creator(true)} />);
      await addBill(user);
      expect(await screen.findByText('A welcome email is on its way to bill@example.test.')).toBeTruthy();
      const post = calls.find((c) => c.method === 'POST')!;
      expect(await post.json()).toMatchObject({ sendWelcome: true });
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    });

    it('without email, hands over the sign-in details in the one-time dialog', async () => {
      setToken('tok');
      serveCreate({ welcome: 'not_configured', generatedPassword: 'Gen-very-strong-1' });
      const user = userEvent.setup();
      renderWithProviders(<UsersPage me={creator(false)} />);
      await addBill(user);
      const dialog = await screen.findByRole('dialog', { name: 'Save these sign-in details now' });
      expect(within(dialog).getByTestId('generated-password').textContent).toBe('Gen-very-strong-1');
      expect(within(dialog).getByText('bill@example.test')).toBeTruthy();
    });

    it('offers the CSV import to those who may add people, and only to them', async () => {
      setToken('tok');
      serve([]);
      const { unmount } = renderWithProviders(<UsersPage me={creator(false)} />);
      expect(await screen.findByRole('button', { name: 'Import CSV' })).toBeTruthy();
      unmount();
      renderWithProviders(<UsersPage me={viewer([{ key: 'users.view', scope: 'all' }])} />);
      await screen.findByText('No team yet');
      expect(screen.queryByRole('button', { name: 'Import CSV' })).toBeNull();
    });
  });

  describe('client companies beside the accounts', () => {
    const acme = {
      id: 'c-acme',
      name: 'Acme Corp',
      email: '',
      phone: '',
      address: '',
      createdAt: '2026-01-01T00:00:00Z',
      people: [{ id: 'u-carl', name: 'Carl Client', kind: 'client', active: true }],
      projects: [],
      actions: [],
    };
    const carl: User = { ...person('u-carl', 'Carl Client', []), roleId: 'client', roleName: 'Client', roleKind: 'client', companyId: 'c-acme', companyName: 'Acme Corp' };
    const withLabel = (me: Me, label: string): Me => ({ ...me, nav: me.nav.map((n) => (n.key === 'users' ? { ...n, label } : n)) });

    function serveBoth() {
      return mockFetch((req) => {
        const path = new URL(req.url).pathname;
        if (path === '/api/users') return { body: { items: [carl], next: null, total: 1 } };
        if (path === '/api/companies') return { body: { items: [acme], next: null } };
        return { body: { items: [], next: null } };
      });
    }

    it('for the client list only: Companies first, then Accounts, where a client shows their company', async () => {
      setToken('tok');
      serveBoth();
      const user = userEvent.setup();
      renderWithProviders(<UsersPage me={withLabel(viewer([{ key: 'users.view', scope: 'clients' }]), 'Clients')} />);
      expect(screen.getByRole('heading', { name: 'Clients' })).toBeTruthy();
      expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Companies', 'Accounts', 'Extra access']);
      expect(screen.getByRole('tab', { name: 'Companies' }).getAttribute('aria-selected')).toBe('true');
      expect(await screen.findByRole('table', { name: 'Client companies' })).toBeTruthy();
      await user.click(screen.getByRole('tab', { name: 'Accounts' }));
      const row = await screen.findByRole('row', { name: /Carl Client/ });
      expect(within(row).getByText('Acme Corp')).toBeTruthy();
    });

    it('for everyone: People first, Client companies second, opened by its link (?tab=companies)', async () => {
      setToken('tok');
      serveBoth();
      const me = withLabel(viewer([{ key: 'users.view', scope: 'all' }]), 'Users');
      const { unmount } = renderWithProviders(<UsersPage me={me} />);
      expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['People', 'Client companies', 'Extra access']);
      expect(await screen.findByRole('row', { name: /Carl Client/ })).toBeTruthy();
      unmount();
      renderWithProviders(<UsersPage me={me} />, { route: '/users?tab=companies', path: '/users' });
      expect(screen.getByRole('tab', { name: 'Client companies' }).getAttribute('aria-selected')).toBe('true');
      expect(await screen.findByRole('table', { name: 'Client companies' })).toBeTruthy();
    });

    it('for the team only: no companies tab, and no companies asked for', async () => {
      setToken('tok');
      const { calls } = serveBoth();
      renderWithProviders(<UsersPage me={viewer([{ key: 'users.view', scope: 'staff' }])} />);
      await screen.findByRole('row', { name: /Carl Client/ });
      expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['People', 'Extra access']);
      expect(calls.map((c) => new URL(c.url).pathname)).not.toContain('/api/companies');
    });
  });
});

describe('UsersPage hour rates', () => {
  const rated = (u: User, hourRate: number | null): User => ({ ...u, hourRate });
  const client: User = { ...person('u-cleo', 'Cleo Client', []), roleId: 'client', roleName: 'Client', roleKind: 'client' };
  const all = (...keys: string[]) => viewer(keys.map((key) => ({ key, scope: 'all' })));

  /** The list as `users`; a PUT of an hour rate answers `write` (the server's word on it). */
  function serveRates(users: User[], write: (body: { hourRate: number | null }) => { status?: number; body?: unknown }) {
    setToken('tok');
    return mockFetch(async (req) => {
      const path = new URL(req.url).pathname;
      if (req.method === 'PUT' && path.endsWith('/hour-rate')) return write((await req.json()) as { hourRate: number | null });
      if (path === '/api/users') return { body: { items: users, next: null, total: users.length } };
      if (path.endsWith('/task-rules')) return { body: { receiveFromOthers: true, openForOthers: true } };
      if (path.endsWith('/identities')) return { body: { items: [] } };
      return { body: { items: [], next: null } };
    });
  }

  it('says nothing of rates to someone whose answers do not carry them', async () => {
    serveRates([person('u-sam', 'Sam Staff', ['users.edit']), client], () => ({ status: 500 }));
    renderWithProviders(<UsersPage me={all('users.view', 'users.edit')} />);
    await screen.findByText('Sam Staff');
    expect(screen.queryByRole('columnheader', { name: 'Hour rate' })).toBeNull();
    await userEvent.click(within(rowOf('Sam Staff')).getByRole('button', { name: 'Sam Staff' }));
    const drawer = await screen.findByRole('dialog');
    await within(drawer).findByLabelText('Email');
    expect(within(drawer).queryByText(/Hour rate/)).toBeNull();
  });

  it('shows the rates the answers carry, with nothing to change them without rates.edit', async () => {
    // A Manager: rates.view, users.view and activity.team, no users.edit nor rates.edit.
    serveRates([rated(person('u-sam', 'Sam Staff', ['activity.team']), 6_500), rated(person('u-ned', 'Ned New', ['activity.team']), null), client], () => ({
      status: 500,
    }));
    renderWithProviders(<UsersPage me={all('users.view', 'activity.team', 'rates.view')} />);
    await screen.findByText('Sam Staff');
    expect(screen.getByRole('columnheader', { name: 'Hour rate' })).toBeTruthy();
    expect(within(rowOf('Sam Staff')).getByText('€65.00')).toBeTruthy();
    expect(within(rowOf('Ned New')).getByText('Not set')).toBeTruthy();
    expect(rowOf('Cleo Client').textContent).not.toMatch(/Not set|€/);
    // Nothing opens a drawer: there is nothing to change.
    expect(within(rowOf('Sam Staff')).queryByRole('button', { name: 'Sam Staff' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Change hour rate' })).toBeNull();
  });

  it('changes an hour rate in minor units with rates.edit, puts a 422 on its field, and clears it when emptied', async () => {
    const sent: unknown[] = [];
    const sam = rated(person('u-sam', 'Sam Staff', ['rates.edit']), 6_500);
    const { calls } = serveRates([sam], (body) => {
      sent.push(body);
      return sent.length === 1
        ? { status: 422, body: { error: { code: 'validation', field: 'hourRate', message: 'Enter an amount in cents (a whole number) from 0 to 1000000000000.' } } }
        : { body: { ...sam, hourRate: body.hourRate } };
    });
    renderWithProviders(<UsersPage me={all('users.view', 'rates.view', 'rates.edit')} />);
    // rates.edit alone opens the drawer: no profile form in it, the rate and its control.
    await userEvent.click(await screen.findByRole('button', { name: 'Sam Staff' }));
    const drawer = await screen.findByRole('dialog');
    expect(within(drawer).queryByLabelText('Email')).toBeNull();
    const section = within(drawer).getByRole('region', { name: 'Hour rate' });
    expect(section.textContent).toContain('Hour rate: €65.00');
    await userEvent.click(within(section).getByRole('button', { name: 'Change hour rate' }));
    const input = within(section).getByLabelText('Hour rate');
    expect((input as HTMLInputElement).value).toBe('65.00');
    await userEvent.clear(input);
    await userEvent.type(input, '70.5');
    await userEvent.click(within(section).getByRole('button', { name: 'Save hour rate' }));
    await waitFor(() => expect(errorOf(input)).toBe('Enter an amount in cents (a whole number) from 0 to 1000000000000.'));
    await userEvent.clear(input);
    await userEvent.click(within(section).getByRole('button', { name: 'Save hour rate' }));
    await waitFor(() => expect(within(section).queryByLabelText('Hour rate')).toBeNull());
    expect(sent).toEqual([{ hourRate: 7_050 }, { hourRate: null }]);
    expect(calls.filter((c) => c.method === 'PUT').map((c) => new URL(c.url).pathname)).toEqual([
      '/api/users/u-sam/hour-rate',
      '/api/users/u-sam/hour-rate',
    ]);
  });

  it('refuses what is not an amount before sending', async () => {
    const { calls } = serveRates([rated(person('u-sam', 'Sam Staff', ['users.edit', 'rates.edit']), null)], () => ({ status: 500 }));
    renderWithProviders(<UsersPage me={all('users.view', 'users.edit', 'rates.view', 'rates.edit')} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Sam Staff' }));
    const section = within(await screen.findByRole('dialog')).getByRole('region', { name: 'Hour rate' });
    expect(section.textContent).toContain('Hour rate: Not set');
    await userEvent.click(within(section).getByRole('button', { name: 'Change hour rate' }));
    await userEvent.type(within(section).getByLabelText('Hour rate'), 'sixty');
    await userEvent.click(within(section).getByRole('button', { name: 'Save hour rate' }));
    expect(errorOf(within(section).getByLabelText('Hour rate'))).toBe('Enter an amount, like 1234.56.');
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });
});

describe('UsersPage in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('says the page, its filters, its table and a drawer in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    serve([person('u-dee', 'Dee Desk', ['users.deactivate']), person('u-eve', 'Eve Editor', ['users.edit', 'users.credentials', 'users.delete', 'activity.team'])]);
    const me = viewer(['users.view', 'users.edit', 'users.deactivate', 'users.delete', 'activity.team'].map((key) => ({ key, scope: 'all' })));
    renderWithProviders(<UsersPage me={me} />);
    await screen.findByText('Dee Desk');
    expect(screen.getByRole('heading', { name: 'Equipe' })).toBeTruthy();
    expect(screen.getByText('2 usuários')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ordenar por nome' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Função' })).toBeTruthy();
    expect(within(rowOf('Dee Desk')).getByText('Ativo')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ver como Eve Editor' })).toBeTruthy();

    await userEvent.click(within(rowOf('Eve Editor')).getByRole('button', { name: 'Eve Editor' }));
    const drawer = await screen.findByRole('dialog', { name: 'Editar Eve Editor' });
    expect(within(drawer).getByLabelText('Nome completo')).toBeTruthy();
    expect(within(drawer).getByRole('button', { name: 'Redefinir senha' })).toBeTruthy();
    expect(within(drawer).getByRole('button', { name: 'Excluir usuário' })).toBeTruthy();
    expect(within(drawer).queryByText('Delete user')).toBeNull();
  });
});
