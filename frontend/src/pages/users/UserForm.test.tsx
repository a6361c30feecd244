import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Role, User } from '../../api/client';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { UserForm, givableRoles } from './UserForm';

const NO_ONE = 'Nobody gains or loses access: saving this changes nothing anyone you can see may see or do.';
const noChange = { version: 'v1', gained: 0, lost: 0, people: 0, truncated: false, changes: [] };

const EMAIL_NOT_SET_UP = 'Email is not set up (Settings → Email), so you will hand over the sign-in details yourself.';

const role = (id: string, name: string, kind: Role['kind'] = 'internal'): Role => ({
  id,
  name,
  kind,
  builtIn: false,
  description: '',
  permissions: [],
  assignableRoleIds: [],
  userCount: 0,
  mayGive: true,
  actions: ['users.create', 'users.edit'],
});
const roles = [role('admin', 'Admin'), role('staff', 'Staff'), role('client', 'Client', 'client')];

const existing: User = {
  id: 'u1',
  name: 'Bill Bookkeeper',
  email: 'bill@example.test',
  roleId: 'staff',
  roleName: 'Staff',
  roleKind: 'internal',
  status: 'active',
  mustChangePassword: false,
  createdAt: '2026-01-01T00:00:00Z',
  actions: ['users.edit', 'users.credentials', 'users.deactivate'],
};

/** The Select's text input (its listbox carries the same label). */
function roleInput(): HTMLElement {
  return screen.getAllByLabelText('Role').find((el) => el.tagName === 'INPUT')!;
}

async function pickRole(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(roleInput());
  await user.click(await screen.findByRole('option', { name }));
}

describe('UserForm', () => {
  it('asks for name, email and role, and sends nothing without them', async () => {
    const { fn } = mockFetch(() => ({ status: 201, body: {} }));
    renderWithProviders(<UserForm roles={roles} onSaved={() => {}} onCancel={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Add user' }));
    expect(errorOf(screen.getByLabelText('Full name'))).toBe('Enter the full name');
    expect(errorOf(screen.getByLabelText('Email'))).toBe('Enter an email address');
    expect(errorOf(roleInput())).toBe('Choose a role');
    expect(fn).not.toHaveBeenCalled();
  });

  it('checks a typed password only when not generating one', async () => {
    const { fn } = mockFetch(() => ({ status: 201, body: {} }));
    const user = userEvent.setup();
    renderWithProviders(<UserForm roles={roles} onSaved={() => {}} onCancel={() => {}} />);
    expect(screen.queryByLabelText('Initial password')).toBeNull();
    await user.click(screen.getByLabelText('Generate a strong password'));
    await user.type(screen.getByLabelText('Full name'), 'Bill Bookkeeper');
    await user.type(screen.getByLabelText('Email'), 'bill@example');
    await user.type(screen.getByLabelText('Initial password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    expect(errorOf(screen.getByLabelText('Email'))).toMatch(/valid email address/);
    expect(errorOf(screen.getByLabelText('Initial password'))).toBe('Use at least 12 characters');
    expect(fn).not.toHaveBeenCalled();
  });

  it('asks the server to generate a password by default and hands it back once', async () => {
    const { calls } = mockFetch(() => ({ status: 201, body: { ...existing, generatedPassword: 'Gen-very-strong-1' } }));
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<UserForm roles={roles} onSaved={onSaved} onCancel={() => {}} />);
    await user.type(screen.getByLabelText('Full name'), 'Bill Bookkeeper');
    await user.type(screen.getByLabelText('Email'), 'bill@example.test');
    await pickRole(user, 'Staff');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(await calls[0].json()).toEqual({
      name: 'Bill Bookkeeper',
      email: 'bill@example.test',
      roleId: 'staff',
      sendWelcome: false,
      generate: true,
    });
    expect(onSaved.mock.calls[0][1]).toBe('Gen-very-strong-1');
  });

  it('sends a typed password and hands it back for the sign-in details', async () => {
    const { calls } = mockFetch(() => ({ status: 201, body: existing }));
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<UserForm roles={roles} onSaved={onSaved} onCancel={() => {}} />);
    await user.type(screen.getByLabelText('Full name'), 'Bill Bookkeeper');
    await user.type(screen.getByLabelText('Email'), 'bill@example.test');
    await pickRole(user, 'Staff');
    await user.click(screen.getByLabelText('Generate a strong password'));
    await user.type(screen.getByLabelText('Initial password'), 'a-typed-password-1');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(await calls[0].json()).toEqual({
      name: 'Bill Bookkeeper',
      email: 'bill@example.test',
      roleId: 'staff',
      sendWelcome: false,
      password: 'a-typed-password-1',
    });
    expect(onSaved.mock.calls[0][1]).toBe('a-typed-password-1');
  });

  it('shows a 409 duplicate email under the email field', async () => {
    mockFetch(() => ({
      status: 409,
      body: { error: { code: 'conflict', message: 'Someone already uses this email.', field: 'email' } },
    }));
    const user = userEvent.setup();
    renderWithProviders(<UserForm roles={roles} onSaved={() => {}} onCancel={() => {}} />);
    await user.type(screen.getByLabelText('Full name'), 'Bill Bookkeeper');
    await user.type(screen.getByLabelText('Email'), 'bill@example.test');
    await pickRole(user, 'Staff');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(errorOf(screen.getByLabelText('Email'))).toBe('Someone already uses this email.'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a 409 without a field (last admin) above the form', async () => {
    // A client role lists the companies (GET) and is previewed (what-if); the change itself is refused.
    const { calls } = mockFetch((req) =>
      req.method === 'GET'
        ? { body: { items: [], next: null } }
        : new URL(req.url).pathname === '/api/what-if'
          ? { body: noChange }
          : { status: 409, body: { error: { code: 'last_admin', message: 'The last active Admin cannot be downgraded.' } } },
    );
    const user = userEvent.setup();
    renderWithProviders(<UserForm user={existing} roles={roles} onSaved={() => {}} onCancel={() => {}} />);
    expect(screen.queryByLabelText('Generate a strong password')).toBeNull();
    await pickRole(user, 'Client');
    await screen.findByText(NO_ONE);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The last active Admin cannot be downgraded.');
    const patch = calls.filter((c) => c.method === 'PATCH');
    expect(patch).toHaveLength(1);
    expect(new URL(patch[0].url).pathname).toBe('/api/users/u1');
    // Made a client with the default company (a new one named after him): no companyId.
    expect(await patch[0].json()).toEqual({ name: 'Bill Bookkeeper', email: 'bill@example.test', roleId: 'client', expectVersion: 'v1' });
  });
  it('on one\'s own account, leaves the email to My account and never sends it', async () => {
    const { calls } = mockFetch(() => ({ body: { ...existing } }));
    const user = userEvent.setup();
    renderWithProviders(<UserForm user={existing} roles={roles} self onSaved={() => {}} onCancel={() => {}} />);
    expect((screen.getByLabelText('Email') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByRole('link', { name: 'My account' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(await calls[0].json()).toEqual({ name: 'Bill Bookkeeper', roleId: existing.roleId });
  });
  describe('the roles it offers are the ones the server lets the asker give', () => {
    // A People Manager's view of the roles: Staff and Client given through their role's
    // list, their own role within itself, never Admin; Client only to add, not to move into.
    const giving = (r: Role, actions: Role['actions']): Role => ({ ...r, mayGive: actions.length > 0, actions });
    const pmRoles = [
      giving(role('admin', 'Admin'), []),
      giving(role('staff', 'Staff'), ['users.create', 'users.edit']),
      giving(role('client', 'Client', 'client'), ['users.create']),
      giving(role('pm', 'People Manager'), ['users.create', 'users.edit']),
      giving(role('books', 'Bookkeeper'), []),
    ];
    const optionNames = () => screen.getAllByRole('option').map((o) => o.textContent);

    it('filters by users.create to add, by users.edit (and the role held) to edit', () => {
      expect(givableRoles(pmRoles).map((r) => r.id)).toEqual(['staff', 'client', 'pm']);
      expect(givableRoles(pmRoles, { roleId: 'staff' }).map((r) => r.id)).toEqual(['staff', 'pm']);
      // A person whose role the asker may not give keeps it shown, as the value it is.
      expect(givableRoles(pmRoles, { roleId: 'books' }).map((r) => r.id)).toEqual(['staff', 'pm', 'books']);
    });

    it('adding someone, offers Staff, Client and People Manager only, and says why', async () => {
      mockFetch(() => ({ body: {} }));
      const user = userEvent.setup();
      renderWithProviders(<UserForm roles={pmRoles} onSaved={() => {}} onCancel={() => {}} />);
      expect(screen.getByText('Only the roles your role may give are listed.')).toBeTruthy();
      await user.click(roleInput());
      expect(optionNames()).toEqual(['Staff', 'People Manager', 'Client']);
    });

    it('with no role to give, says what to do', () => {
      mockFetch(() => ({ body: {} }));
      renderWithProviders(<UserForm roles={[giving(role('admin', 'Admin'), [])]} onSaved={() => {}} onCancel={() => {}} />);
      expect(screen.getByText(/Your role cannot give any role\. Ask an administrator/)).toBeTruthy();
    });

    it('editing someone it may not take over, locks the email and never sends it', async () => {
      const nothing = { version: 'v1', people: 0, gained: 0, lost: 0, truncated: false, changes: [] };
      const { calls } = mockFetch((req) => (new URL(req.url).pathname === '/api/what-if' ? { body: nothing } : { body: existing }));
      const onSaved = vi.fn();
      const user = userEvent.setup();
      const staffer: User = { ...existing, actions: ['users.edit', 'users.deactivate'] };
      renderWithProviders(<UserForm user={staffer} roles={pmRoles} onSaved={onSaved} onCancel={() => {}} />);
      const email = screen.getByLabelText('Email') as HTMLInputElement;
      expect(email.disabled).toBe(true);
      expect(screen.getByText(/Only someone whose role holds every permission of this person's role can change their email/)).toBeTruthy();
      await user.click(roleInput());
      expect(optionNames()).toEqual(['Staff', 'People Manager']);
      await user.click(screen.getByRole('option', { name: 'People Manager' }));
      // The move is previewed first (what-if); Save waits for it.
      await waitFor(() => expect(calls.some((c) => new URL(c.url).pathname === '/api/what-if')).toBe(true));
      const save = screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement;
      await waitFor(() => expect(save.disabled).toBe(false));
      await user.click(save);
      await waitFor(() => expect(onSaved).toHaveBeenCalled());
      const patch = calls.filter((c) => c.method === 'PATCH');
      expect(await patch[0].json()).toEqual({ name: 'Bill Bookkeeper', roleId: 'pm', expectVersion: 'v1' });
    });
  });

  it('says, without email set up, that the sign-in details are handed over by hand', () => {
    mockFetch(() => ({ body: {} }));
    renderWithProviders(<UserForm roles={roles} onSaved={() => {}} onCancel={() => {}} />);
    expect(screen.getByRole('note').textContent).toBe(EMAIL_NOT_SET_UP);
    expect(screen.queryByLabelText('Send a welcome email')).toBeNull();
    expect(screen.getByLabelText('Generate a strong password')).toBeTruthy();
  });

  it('sends a welcome email by default when email is set up, with a link unless asked for a password', async () => {
    const { calls } = mockFetch(() => ({ status: 201, body: { ...existing, welcome: 'queued', mailId: 'm1' } }));
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<UserForm roles={roles} emailConfigured onSaved={onSaved} onCancel={() => {}} />);
    expect(screen.queryByRole('note')).toBeNull();
    const welcome = screen.getByLabelText('Send a welcome email') as HTMLInputElement;
    expect(welcome.checked).toBe(true);
    expect(screen.getByText(/works once, within 72 hours/)).toBeTruthy();
    const include = screen.getByLabelText('Put a generated password in the email instead of a set-password link') as HTMLInputElement;
    expect(include.checked).toBe(false);
    // The mail carries the way in: no password to choose here.
    expect(screen.queryByLabelText('Generate a strong password')).toBeNull();

    await user.type(screen.getByLabelText('Full name'), 'Bill Bookkeeper');
    await user.type(screen.getByLabelText('Email'), 'bill@example.test');
    await pickRole(user, 'Staff');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(await calls[0].json()).toEqual({ name: 'Bill Bookkeeper', email: 'bill@example.test', roleId: 'staff', sendWelcome: true });
    expect(onSaved.mock.calls[0][0].welcome).toBe('queued');
    expect(onSaved.mock.calls[0][1]).toBeUndefined();
  });

  it('puts a generated password in the welcome email when asked', async () => {
    const { calls } = mockFetch(() => ({ status: 201, body: { ...existing, welcome: 'queued' } }));
    const user = userEvent.setup();
    renderWithProviders(<UserForm roles={roles} emailConfigured onSaved={() => {}} onCancel={() => {}} />);
    await user.type(screen.getByLabelText('Full name'), 'Bill Bookkeeper');
    await user.type(screen.getByLabelText('Email'), 'bill@example.test');
    await pickRole(user, 'Staff');
    await user.click(screen.getByLabelText('Put a generated password in the email instead of a set-password link'));
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(await calls[0].json()).toEqual({
      name: 'Bill Bookkeeper',
      email: 'bill@example.test',
      roleId: 'staff',
      sendWelcome: true,
      includePassword: true,
    });
  });

  it('offers the password choices again when the welcome email is turned off', async () => {
    const { calls } = mockFetch(() => ({ status: 201, body: { ...existing, welcome: 'not_requested', generatedPassword: 'Gen-very-strong-1' } }));
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<UserForm roles={roles} emailConfigured onSaved={onSaved} onCancel={() => {}} />);
    await user.click(screen.getByLabelText('Send a welcome email'));
    expect(screen.queryByLabelText('Put a generated password in the email instead of a set-password link')).toBeNull();
    expect((screen.getByLabelText('Generate a strong password') as HTMLInputElement).checked).toBe(true);
    await user.type(screen.getByLabelText('Full name'), 'Bill Bookkeeper');
    await user.type(screen.getByLabelText('Email'), 'bill@example.test');
    await pickRole(user, 'Staff');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(await calls[0].json()).toEqual({
      name: 'Bill Bookkeeper',
      email: 'bill@example.test',
      roleId: 'staff',
      sendWelcome: false,
      generate: true,
    });
    expect(onSaved.mock.calls[0][1]).toBe('Gen-very-strong-1');
  });

  describe('a new role, previewed before saving', () => {
    const gainsDelete = (version: string) => ({
      version,
      people: 1,
      gained: 1,
      lost: 0,
      truncated: false,
      changes: [{ userId: 'u1', userName: 'Bill Bookkeeper', type: 'project', id: 'p1', name: 'Website', action: 'projects.delete', gained: true }],
    });

    it('shows what the role change does and saves with that preview\'s version', async () => {
      const { calls } = mockFetch((req) => (new URL(req.url).pathname === '/api/what-if' ? { body: gainsDelete('v4') } : { body: existing }));
      const onSaved = vi.fn();
      const user = userEvent.setup();
      renderWithProviders(<UserForm user={existing} roles={roles} onSaved={onSaved} onCancel={() => {}} />);
      expect(screen.queryByText('What changes')).toBeNull();
      await pickRole(user, 'Admin');
      expect(await screen.findByText('1 person gains 1 access and loses 0 accesses')).toBeTruthy();
      expect(screen.getByText('gains “delete” on project “Website”')).toBeTruthy();
      expect(await calls[0].json()).toEqual({ user: { id: 'u1', roleId: 'admin' } });
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(onSaved).toHaveBeenCalled());
      const patch = calls.filter((c) => c.method === 'PATCH');
      expect(await patch[0].json()).toEqual({ name: 'Bill Bookkeeper', email: 'bill@example.test', roleId: 'admin', expectVersion: 'v4' });
    });

    it('on 409 stale_preview saves nothing, refreshes the preview and asks to look again', async () => {
      let version = 0;
      const { calls } = mockFetch(async (req) => {
        if (new URL(req.url).pathname === '/api/what-if') return { body: gainsDelete(`v${++version}`) };
        const body = await req.json();
        return body.expectVersion === 'v1'
          ? { status: 409, body: { error: { code: 'stale_preview', message: 'Access changed since this preview was made.' } } }
          : { body: existing };
      });
      const onSaved = vi.fn();
      const user = userEvent.setup();
      renderWithProviders(<UserForm user={existing} roles={roles} onSaved={onSaved} onCancel={() => {}} />);
      await pickRole(user, 'Admin');
      await screen.findByText('1 person gains 1 access and loses 0 accesses');
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      expect((await screen.findByRole('status')).textContent).toBe('Access changed meanwhile: check the new preview and save again.');
      await waitFor(() => expect(calls.filter((c) => new URL(c.url).pathname === '/api/what-if')).toHaveLength(2));
      expect(onSaved).not.toHaveBeenCalled();
      expect(screen.queryByRole('alert')).toBeNull();
      await waitFor(() => expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(false));
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
      const sent = await Promise.all(calls.filter((c) => c.method === 'PATCH').map((c) => c.json()));
      expect(sent.map((b) => b.expectVersion)).toEqual(['v1', 'v2']);
    });

    it('sends no version when the role stays', async () => {
      const { calls } = mockFetch(() => ({ body: existing }));
      const onSaved = vi.fn();
      const user = userEvent.setup();
      renderWithProviders(<UserForm user={existing} roles={roles} onSaved={onSaved} onCancel={() => {}} />);
      await user.type(screen.getByLabelText('Full name'), ' Jr');
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(onSaved).toHaveBeenCalled());
      expect(calls).toHaveLength(1);
      expect(await calls[0].json()).toEqual({ name: 'Bill Bookkeeper Jr', email: 'bill@example.test', roleId: 'staff' });
    });
  });

  describe('the company of a client account', () => {
    const acme = { id: 'c-acme', name: 'Acme Corp', email: '', phone: '', address: '', createdAt: '2026-01-01T00:00:00Z', people: [], projects: [], actions: [] };
    const globex = { ...acme, id: 'c-globex', name: 'Globex' };
    const companyInput = () => screen.getAllByLabelText('Company').find((el) => el.tagName === 'INPUT') as HTMLInputElement;
    /** Companies for GET /api/companies; every other call answers `answer`. */
    const serve = (answer: { status?: number; body: unknown }) =>
      mockFetch((req) => (new URL(req.url).pathname === '/api/companies' ? { body: { items: [acme, globex], next: null } } : answer));
    const sent = async (calls: Request[]) => calls.filter((c) => c.method !== 'GET').map((c) => c.json());

    it('is asked only for a client role, a new company named after them by default', async () => {
      const { calls } = serve({ status: 201, body: existing });
      const onSaved = vi.fn();
      const user = userEvent.setup();
      renderWithProviders(<UserForm roles={roles} onSaved={onSaved} onCancel={() => {}} />);
      await user.type(screen.getByLabelText('Full name'), 'Carl Client');
      await user.type(screen.getByLabelText('Email'), 'carl@acme.example');
      await pickRole(user, 'Staff');
      expect(screen.queryAllByLabelText('Company')).toEqual([]);
      expect(calls.map((c) => new URL(c.url).pathname)).not.toContain('/api/companies');
      await pickRole(user, 'Client');
      expect(companyInput().value).toBe('A new company named after this person');
      await user.click(screen.getByRole('button', { name: 'Add user' }));
      await waitFor(() => expect(onSaved).toHaveBeenCalled());
      expect(await Promise.all(await sent(calls))).toEqual([
        { name: 'Carl Client', email: 'carl@acme.example', roleId: 'client', sendWelcome: false, generate: true },
      ]);
    });

    it('sends the company chosen', async () => {
      const { calls } = serve({ status: 201, body: existing });
      const onSaved = vi.fn();
      const user = userEvent.setup();
      renderWithProviders(<UserForm roles={roles} onSaved={onSaved} onCancel={() => {}} />);
      await user.type(screen.getByLabelText('Full name'), 'Carl Client');
      await user.type(screen.getByLabelText('Email'), 'carl@acme.example');
      await pickRole(user, 'Client');
      await user.click(companyInput());
      await user.click(await screen.findByRole('option', { name: 'Acme Corp' }));
      await user.click(screen.getByRole('button', { name: 'Add user' }));
      await waitFor(() => expect(onSaved).toHaveBeenCalled());
      expect(await Promise.all(await sent(calls))).toEqual([
        { name: 'Carl Client', email: 'carl@acme.example', roleId: 'client', companyId: 'c-acme', sendWelcome: false, generate: true },
      ]);
    });

    const carl: User = { ...existing, id: 'u-carl', name: 'Carl Client', email: 'carl@acme.example', roleId: 'client', roleName: 'Client', roleKind: 'client', companyId: 'c-acme', companyName: 'Acme Corp' };

    it("shows a client's company and sends it only when changed", async () => {
      const { calls } = serve({ body: carl });
      const onSaved = vi.fn();
      const user = userEvent.setup();
      renderWithProviders(<UserForm user={carl} roles={roles} onSaved={onSaved} onCancel={() => {}} />);
      expect(companyInput().value).toBe('Acme Corp');
      await user.click(companyInput());
      // A client in a company is moved, never given a new one from here.
      expect(screen.queryByRole('option', { name: 'A new company named after this person' })).toBeNull();
      await user.keyboard('{Escape}');
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
      await user.click(companyInput());
      await user.click(await screen.findByRole('option', { name: 'Globex' }));
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(2));
      expect(await Promise.all(await sent(calls))).toEqual([
        { name: 'Carl Client', email: 'carl@acme.example', roleId: 'client' },
        { name: 'Carl Client', email: 'carl@acme.example', roleId: 'client', companyId: 'c-globex' },
      ]);
    });

    it("puts the server's companyId error on the Company field", async () => {
      serve({ status: 422, body: { error: { code: 'invalid', message: 'No such client company.', field: 'companyId' } } });
      const user = userEvent.setup();
      renderWithProviders(<UserForm user={carl} roles={roles} onSaved={() => {}} onCancel={() => {}} />);
      await user.click(companyInput());
      await user.click(await screen.findByRole('option', { name: 'Globex' }));
      await user.click(screen.getByRole('button', { name: 'Save changes' }));
      await waitFor(() => expect(errorOf(companyInput())).toBe('No such client company.'));
      expect(screen.queryByRole('alert')).toBeNull();
    });
  });
});
