import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type PermissionCatalog, type Role } from '../../api/client';
import i18n from '../../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { RoleEditor, type RoleEditorValues } from './RoleEditor';

const catalog: PermissionCatalog = {
  areas: [
    { key: 'projects', label: 'Projects' },
    { key: 'invoicing', label: 'Invoicing' },
    { key: 'users', label: 'Users' },
  ],
  items: [
    { key: 'projects.view', area: 'projects', label: 'View projects', description: 'See projects.', scopes: ['assigned', 'all'] },
    { key: 'projects.create', area: 'projects', label: 'Create projects', description: 'Start projects.', scopes: [] },
    { key: 'invoices.view', area: 'invoicing', label: 'View invoices', description: 'See invoices.', scopes: ['own', 'all'] },
    { key: 'users.create', area: 'users', label: 'Create users', description: 'Add user accounts.', scopes: ['staff', 'clients', 'all'] },
  ],
};

const blank: RoleEditorValues = { name: '', description: '', kind: 'internal', permissions: [], assignableRoleIds: [] };

const role = (id: string, name: string, mayGive: boolean, kind: Role['kind'] = 'internal'): Role => ({
  id,
  name,
  kind,
  builtIn: ['admin', 'staff', 'client'].includes(id),
  description: '',
  permissions: [],
  assignableRoleIds: [],
  userCount: 0,
  mayGive,
  actions: [],
});

// As a role manager whose role lists Staff sees them: Admin and Client are not theirs to give.
const roles = [role('admin', 'Admin', false), role('staff', 'Staff', true), role('client', 'Client', false, 'client'), role('pm', 'People Manager', true)];

function setup(props: Partial<Parameters<typeof RoleEditor>[0]> = {}) {
  const onSubmit = vi.fn(async (_: RoleEditorValues, _expect?: string) => {});
  renderWithProviders(
    <RoleEditor
      initial={blank}
      catalog={catalog}
      otherNames={['Admin', 'Staff', 'Client']}
      submitLabel="Create role"
      onSubmit={onSubmit}
      onCancel={() => {}}
      {...props}
    />,
  );
  return { onSubmit, user: userEvent.setup() };
}

describe('RoleEditor', () => {
  it('groups permissions by area', () => {
    setup();
    const projects = screen.getByRole('group', { name: 'Projects' });
    expect(within(projects).getByLabelText('View projects')).toBeTruthy();
    expect(within(projects).getByLabelText('Create projects')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Invoicing' })).getByLabelText('View invoices')).toBeTruthy();
  });

  it('needs a name and at least one permission, and sends nothing without them', async () => {
    const { onSubmit, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    expect(errorOf(screen.getByLabelText('Name'))).toBe('Give the role a name');
    expect(screen.getByRole('alert').textContent).toBe('Choose at least one permission');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a name another role already has (any case)', async () => {
    const { onSubmit, user } = setup();
    await user.type(screen.getByLabelText('Name'), 'staff');
    await user.click(screen.getByLabelText('Create projects'));
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    expect(errorOf(screen.getByLabelText('Name'))).toBe('A role with this name already exists');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends the checked permissions with the narrowest scope by default, or the chosen one', async () => {
    const { onSubmit, user } = setup();
    await user.type(screen.getByLabelText('Name'), ' Bookkeeper ');
    await user.click(screen.getByLabelText('View projects'));
    await user.click(screen.getByLabelText('View invoices'));
    await user.click(screen.getByLabelText('Create projects'));
    // Choose "all" for invoices.view.
    const invoicing = screen.getByRole('group', { name: 'Invoicing' });
    await user.click(within(invoicing).getByLabelText('all'));
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const sent = onSubmit.mock.calls[0][0];
    expect(sent.name).toBe('Bookkeeper');
    expect(sent.kind).toBe('internal');
    expect(sent.permissions).toEqual(
      expect.arrayContaining([
        { key: 'projects.view', scope: 'assigned' },
        { key: 'invoices.view', scope: 'all' },
        { key: 'projects.create', scope: '' },
      ]),
    );
    expect(sent.permissions).toHaveLength(3);
  });

  it('puts a server error with a field on that field', async () => {
    const onSubmit = vi.fn(async () => {
      throw new ApiError({ status: 409, code: 'conflict', message: 'A role named Bookkeeper exists.', field: 'name' });
    });
    const { user } = setup({ onSubmit });
    await user.type(screen.getByLabelText('Name'), 'Bookkeeper');
    await user.click(screen.getByLabelText('Create projects'));
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    await waitFor(() => expect(errorOf(screen.getByLabelText('Name'))).toBe('A role named Bookkeeper exists.'));
  });

  it('shows a permission error from the server on the permission list', async () => {
    const onSubmit = vi.fn(async () => {
      throw new ApiError({ status: 403, code: 'forbidden', message: 'You cannot grant what you do not hold.', field: 'permissions[0]' });
    });
    const { user } = setup({ onSubmit });
    await user.type(screen.getByLabelText('Name'), 'Bookkeeper');
    await user.click(screen.getByLabelText('Create projects'));
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You cannot grant what you do not hold.');
  });

  describe('roles its holders may give', () => {
    const listInput = () => screen.getAllByLabelText('Roles to give').find((el) => el.tagName === 'INPUT')!;
    const optionNames = () => screen.getAllByRole('option').map((o) => o.textContent);
    const pills = () => [...document.querySelectorAll('[class*="Pill-label"]')].map((p) => p.textContent);

    it('offers only the roles the editor may give, the role itself named so, and sends the choice', async () => {
      // A saved role whose permissions stay: a list alone changes nobody's access, so there is no preview to wait for.
      const { onSubmit, user } = setup({
        roles,
        roleId: 'pm',
        initial: { ...blank, name: 'People Manager', permissions: [{ key: 'users.create', scope: 'all' }] },
      });
      expect(screen.getByRole('heading', { name: 'Roles its holders may give' })).toBeTruthy();
      expect(screen.getByText(/even where these roles hold permissions this one does not/)).toBeTruthy();
      await user.click(listInput());
      expect(optionNames()).toEqual(['Staff', 'People Manager (this role)']);
      await user.click(screen.getByRole('option', { name: 'Staff' }));
      await user.click(screen.getByRole('button', { name: 'Create role' }));
      await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
      expect(onSubmit.mock.calls[0][0].assignableRoleIds).toEqual(['staff']);
    });

    it('keeps the names of roles already listed, and warns while the role cannot add or move people', async () => {
      setup({ roles, initial: { ...blank, name: 'Lister', permissions: [{ key: 'projects.create', scope: '' }], assignableRoleIds: ['client'] } });
      // Client is listed (the owner listed it); this editor may not give it, so it is not offered anew.
      expect(pills()).toEqual(['Client']);
      expect(screen.getByText('This role gives them only once it holds Create users or Edit users.')).toBeTruthy();
    });

    it('gives no roles for a client role: the list empties, visibly, when the kind becomes client', async () => {
      const { onSubmit, user } = setup({ roles, initial: { ...blank, name: 'Portal', permissions: [{ key: 'projects.create', scope: '' }], assignableRoleIds: ['staff'] } });
      expect(pills()).toEqual(['Staff']);
      await user.click(screen.getByRole('radio', { name: 'Client' }));
      expect(pills()).toEqual([]);
      expect(screen.getByText('A client (portal) role cannot add or manage people, so it gives no roles.')).toBeTruthy();
      expect((listInput() as HTMLInputElement).disabled).toBe(true);
      await user.click(screen.getByRole('button', { name: 'Create role' }));
      await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
      expect(onSubmit.mock.calls[0][0]).toMatchObject({ kind: 'client', assignableRoleIds: [] });
    });

    it('puts the server\'s refusal of a listed role on the list', async () => {
      const onSubmit = vi.fn(async () => {
        throw new ApiError({ status: 422, code: 'invalid', message: 'No such role: gone.', field: 'assignableRoleIds' });
      });
      const { user } = setup({ roles, onSubmit, initial: { ...blank, name: 'X', permissions: [{ key: 'projects.create', scope: '' }] } });
      await user.click(screen.getByRole('button', { name: 'Create role' }));
      await waitFor(() => expect(errorOf(listInput())).toBe('No such role: gone.'));
    });
  });

  it('is read-only for built-in roles', () => {
    setup({
      readOnly: true,
      initial: { name: 'Admin', description: '', kind: 'internal', permissions: [{ key: 'projects.create', scope: '' }], assignableRoleIds: [] },
    });
    expect(screen.getByText('Built-in role: read only')).toBeTruthy();
    expect((screen.getByLabelText('Name') as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('Create projects') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Create role' })).toBeNull();
  });
});

describe('RoleEditor: what-if before saving', () => {
  const saved: RoleEditorValues = {
    name: 'Bookkeeper',
    description: '',
    kind: 'internal',
    permissions: [{ key: 'projects.view', scope: 'assigned' }],
    assignableRoleIds: [],
  };
  const preview = (version: string, project: string) => ({
    version,
    people: 1,
    gained: 1,
    lost: 0,
    truncated: false,
    changes: [{ userId: 'u-bill', userName: 'Bill Bookkeeper', type: 'permission', id: 'projects.create', name: project, action: 'hold', gained: true }],
  });

  it('previews nothing until the permissions differ from the saved role', async () => {
    const { fn } = mockFetch(() => ({ body: preview('v1', '') }));
    const { user, onSubmit } = setup({ roleId: 'r-book', initial: saved, submitLabel: 'Save changes' });
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'Books');
    await new Promise((r) => setTimeout(r, 400));
    expect(screen.queryByText('What changes')).toBeNull();
    expect(fn).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][1]).toBeUndefined();
  });

  it('shows who gains what and saves with the version of the preview shown', async () => {
    const { calls } = mockFetch(() => ({ body: preview('v7', '') }));
    const { user, onSubmit } = setup({ roleId: 'r-book', initial: saved, submitLabel: 'Save changes' });
    await user.click(screen.getByLabelText('Create projects'));
    expect(await screen.findByText('1 person gains 1 access and loses 0 accesses')).toBeTruthy();
    expect(screen.getByText('gains the permission “Create projects”')).toBeTruthy();
    expect(await calls[0].json()).toEqual({
      role: { id: 'r-book', permissions: [{ key: 'projects.create', scope: '' }, { key: 'projects.view', scope: 'assigned' }] },
    });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0][1]).toBe('v7');
    // Unticked again: the same as saved, nothing to preview.
    await user.click(screen.getByLabelText('Create projects'));
    await waitFor(() => expect(screen.queryByText('What changes')).toBeNull());
  });

  it('on 409 stale_preview saves nothing, refreshes the preview and asks to look again', async () => {
    let version = 0;
    const { calls } = mockFetch(() => ({ body: preview(`v${++version}`, '') }));
    const onSubmit = vi.fn(async (_: RoleEditorValues, expect?: string) => {
      if (expect === 'v1') {
        throw new ApiError({ status: 409, code: 'stale_preview', message: 'Access changed since this preview was made.' });
      }
    });
    const { user } = setup({ roleId: 'r-book', initial: saved, submitLabel: 'Save changes', onSubmit });
    await user.click(screen.getByLabelText('Create projects'));
    await screen.findByText('1 person gains 1 access and loses 0 accesses');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect((await screen.findByRole('status')).textContent).toBe('Access changed meanwhile: check the new preview and save again.');
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(new URL(calls[1].url).pathname).toBe('/api/what-if');
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(false));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls.map((c) => c[1])).toEqual(['v1', 'v2']);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('waits for the preview of the change in view before saving', async () => {
    mockFetch(() => new Promise(() => {}));
    const { user } = setup({ roleId: 'r-book', initial: saved, submitLabel: 'Save changes' });
    await user.click(screen.getByLabelText('Create projects'));
    expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('RoleEditor in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('labels the form and says what is missing in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    const { onSubmit, user } = setup({ submitLabel: 'Criar função' });
    expect(screen.getByRole('heading', { name: 'Permissões' })).toBeTruthy();
    expect(screen.getByText('0 selecionadas')).toBeTruthy();
    expect(screen.getByText('Equipe (interna)')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Criar função' }));
    expect(errorOf(screen.getByLabelText('Nome'))).toBe('Dê um nome à função');
    expect(screen.getByRole('alert').textContent).toBe('Escolha pelo menos uma permissão');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('explains the roles its holders may give in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setup({ roles, initial: { ...blank, kind: 'client' } });
    expect(screen.getByRole('heading', { name: 'Funções que quem a tem pode atribuir' })).toBeTruthy();
    expect(screen.getByText('Uma função de cliente (portal) não pode adicionar nem gerenciar pessoas, por isso não atribui funções.')).toBeTruthy();
  });
});
