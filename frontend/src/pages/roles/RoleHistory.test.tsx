import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Role } from '../../api/client';
import type { RoleVersion } from '../../api/roleHistory';
import i18n from '../../i18n';
import { mockFetch, renderWithProviders } from '../../test/render';
import { RoleHistory } from './RoleHistory';

const role: Role = {
  id: 'r1',
  name: 'Book Keeper',
  kind: 'internal',
  builtIn: false,
  description: '',
  permissions: [{ key: 'revenue.view', scope: '' }],
  assignableRoleIds: [],
  userCount: 2,
  mayGive: true,
  actions: ['users.create', 'users.edit'],
};

const change = (kind: 'added' | 'removed' | 'name', text: string) => ({ kind, from: '', to: '', text });

const versions: RoleVersion[] = [
  {
    version: 2,
    state: { name: 'Book Keeper', description: '', kind: 'internal', permissions: [{ key: 'revenue.view', scope: '' }] },
    at: '2026-11-22T10:00:00Z',
    changedBy: '',
    note: 'update',
    rolledBack: 0,
    changes: [change('name', 'Renamed from “Bookkeeper” to “Book Keeper”'), change('added', 'Added “View revenue metrics”')],
    restore: [],
  },
  {
    version: 1,
    state: { name: 'Bookkeeper', description: '', kind: 'internal', permissions: [] },
    at: '2026-11-22T09:00:00Z',
    changedBy: 'Olivia Owner',
    note: 'create',
    rolledBack: 0,
    changes: [],
    restore: [change('name', 'Renamed from “Book Keeper” to “Bookkeeper”'), change('removed', 'Removed “View revenue metrics”')],
  },
];

function serve(rollback: { status: number; body: unknown } = { status: 200, body: role }) {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (req.method === 'GET' && path === '/api/roles/r1/history') return { body: { items: versions, next: null } };
    if (req.method === 'POST' && path === '/api/roles/r1/rollback') return rollback;
    return { status: 404, body: { error: { code: 'not_found', message: 'no' } } };
  });
}

afterEach(async () => {
  await i18n.changeLanguage('en');
  setToken(null);
});

describe('RoleHistory', () => {
  it('lists versions newest first with who, the changes in words, and a rollback only for earlier ones', async () => {
    serve();
    renderWithProviders(<RoleHistory role={role} />);
    expect(await screen.findByText('Version 2')).toBeTruthy();
    expect(screen.getByText('Renamed from “Bookkeeper” to “Book Keeper”')).toBeTruthy();
    expect(screen.getByText(/by someone you cannot see/)).toBeTruthy();
    expect(screen.getByText(/by Olivia Owner/)).toBeTruthy();
    expect(screen.getByText('Role created.')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Roll back' })).toHaveLength(1);
  });

  it('shows what a rollback changes and who holds the role, and sends it only when confirmed', async () => {
    const { calls } = serve();
    const onRolledBack = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<RoleHistory role={role} onRolledBack={onRolledBack} />);
    await user.click(await screen.findByRole('button', { name: 'Roll back' }));
    const dialog = await screen.findByRole('dialog', { name: 'Roll back to version 1?' });
    expect(within(dialog).getByText('Removed “View revenue metrics”')).toBeTruthy();
    expect(within(dialog).getByText('2 people hold this role and get these changes.')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Roll back to version 1' }));
    await waitFor(() => expect(onRolledBack).toHaveBeenCalled());
    const post = calls.find((c) => c.method === 'POST')!;
    expect(await post.json()).toEqual({ version: 1 });
  });

  it("says the server's refusal in the dialog and changes nothing", async () => {
    serve({ status: 403, body: { error: { code: 'forbidden', message: 'You need View revenue metrics to change this role.' } } });
    const onRolledBack = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<RoleHistory role={role} onRolledBack={onRolledBack} />);
    await user.click(await screen.findByRole('button', { name: 'Roll back' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Roll back to version 1' }));
    expect(await within(dialog).findByText('You need View revenue metrics to change this role.')).toBeTruthy();
    expect(onRolledBack).not.toHaveBeenCalled();
  });

  it('speaks Brazilian Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    serve();
    renderWithProviders(<RoleHistory role={role} />);
    expect(await screen.findByText('Versão 2')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reverter' })).toBeTruthy();
  });
});
