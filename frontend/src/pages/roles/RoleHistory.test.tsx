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
    state: { name: 'Bookkeeper', description: '', kind: 'internal', permissions: [], assignableRoleIds: ['staff'] },
    at: '2026-11-22T09:00:00Z',
    changedBy: 'Olivia Owner',
    note: 'create',
    rolledBack: 0,
    changes: [],
    restore: [change('name', 'Renamed from “Book Keeper” to “Bookkeeper”'), change('removed', 'Removed “View revenue metrics”')],
  },
];

/** The rollback's preview: Ana, who holds the role, loses revenue (version n). */
const losesRevenue = (n: number) => ({
  version: `v${n}`,
  gained: 0,
  lost: 1,
  people: 1,
  truncated: false,
  changes: [{ userId: 'u-ana', userName: 'Ana Books', type: 'permission', id: 'revenue.view', name: '', action: 'hold', gained: false }],
});

function serve(rollback: () => { status: number; body: unknown } = () => ({ status: 200, body: role })) {
  let previews = 0;
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (req.method === 'GET' && path === '/api/roles/r1/history') return { body: { items: versions, next: null } };
    if (req.method === 'POST' && path === '/api/what-if') return { body: losesRevenue(++previews) };
    if (req.method === 'POST' && path === '/api/roles/r1/rollback') return rollback();
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
    // The rollback's what-if preview: the edit to version 1's state, roles to give included.
    const panel = await within(dialog).findByRole('region', { name: 'What changes' });
    expect(await within(panel).findByText('loses the permission “View revenue metrics”')).toBeTruthy();
    const asked = calls.find((c) => new URL(c.url).pathname === '/api/what-if')!;
    expect(await asked.json()).toEqual({ role: { id: 'r1', kind: 'internal', permissions: [], assignableRoleIds: ['staff'] } });
    expect(calls.filter((c) => new URL(c.url).pathname.endsWith('/rollback'))).toHaveLength(0);
    const confirm = within(dialog).getByRole('button', { name: 'Roll back to version 1' });
    await waitFor(() => expect((confirm as HTMLButtonElement).disabled).toBe(false));
    await user.click(confirm);
    await waitFor(() => expect(onRolledBack).toHaveBeenCalled());
    const post = calls.find((c) => new URL(c.url).pathname.endsWith('/rollback'))!;
    expect(await post.json()).toEqual({ version: 1, expectVersion: 'v1' });
  });

  it('refreshes the preview instead of rolling back when access changed meanwhile', async () => {
    let tries = 0;
    const { calls } = serve(() =>
      ++tries === 1
        ? { status: 409, body: { error: { code: 'stale_preview', message: 'Access changed since this preview was made.' } } }
        : { status: 200, body: role },
    );
    const onRolledBack = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<RoleHistory role={role} onRolledBack={onRolledBack} />);
    await user.click(await screen.findByRole('button', { name: 'Roll back' }));
    const dialog = await screen.findByRole('dialog', { name: 'Roll back to version 1?' });
    const confirm = within(dialog).getByRole('button', { name: 'Roll back to version 1' });
    await within(dialog).findByText('loses the permission “View revenue metrics”');
    await waitFor(() => expect((confirm as HTMLButtonElement).disabled).toBe(false));
    await user.click(confirm);
    expect(await within(dialog).findByText('Access changed meanwhile: check the new preview and save again.')).toBeTruthy();
    expect(onRolledBack).not.toHaveBeenCalled();
    await waitFor(() => expect(calls.filter((c) => new URL(c.url).pathname === '/api/what-if')).toHaveLength(2));
    await waitFor(() => expect((confirm as HTMLButtonElement).disabled).toBe(false));
    await user.click(confirm);
    await waitFor(() => expect(onRolledBack).toHaveBeenCalled());
    const bodies = await Promise.all(calls.filter((c) => new URL(c.url).pathname.endsWith('/rollback')).map((c) => c.json()));
    expect(bodies).toEqual([
      { version: 1, expectVersion: 'v1' },
      { version: 1, expectVersion: 'v2' },
    ]);
  });

  it("says the server's refusal in the dialog and changes nothing", async () => {
    serve(() => ({ status: 403, body: { error: { code: 'forbidden', message: 'You need View revenue metrics to change this role.' } } }));
    const onRolledBack = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<RoleHistory role={role} onRolledBack={onRolledBack} />);
    await user.click(await screen.findByRole('button', { name: 'Roll back' }));
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Roll back to version 1' });
    await within(dialog).findByText('loses the permission “View revenue metrics”');
    await waitFor(() => expect((confirm as HTMLButtonElement).disabled).toBe(false));
    await user.click(confirm);
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
