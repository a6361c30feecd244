import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { makeMe } from '../test/fixtures';
import { mockFetch, renderWithProviders } from '../test/render';
import { LintPage } from './LintPage';

const me = makeMe({ permissions: [{ key: 'roles.manage', scope: '' }], nav: ['lint'] });

const idle = (id: string, name: string, allowed: boolean) => ({
  kind: 'account_inactive',
  severity: 'notice',
  message: `${name} has not signed in for 91 days. Deactivate the account if it is no longer needed.`,
  users: [{ id, name }],
  roles: [],
  fix: { action: 'deactivate_user', userId: id, allowed },
});
const unused = {
  kind: 'role_unused',
  severity: 'notice',
  message: 'Nobody holds the custom role Role 1: delete it if it is no longer needed.',
  users: [],
  roles: [{ id: 'r1', name: 'Role 1' }],
  fix: { action: 'delete_role', roleId: 'r1', allowed: true },
};
const generic = {
  kind: 'role_generic_name',
  severity: 'notice',
  message: 'The role Role 1 has a generic name: name it for what its holders do, like Bookkeeper.',
  users: [],
  roles: [{ id: 'r1', name: 'Role 1' }],
  fix: { action: 'edit_role', roleId: 'r1', allowed: true },
};
const admins = {
  kind: 'too_many_admins',
  severity: 'warning',
  message: '4 people hold Admin; two or three admin accounts is typical. Give the others a role with only what they need.',
  users: [],
  roles: [],
  fix: null,
};

describe('LintPage', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('groups findings by kind with counts, and offers only the fixes the server allows', async () => {
    mockFetch(() => ({ body: { items: [admins, idle('u1', 'Sam Staff', true), idle('u2', 'Carl Client', false), unused, generic] } }));
    renderWithProviders(<LintPage me={me} />);
    const idleGroup = await screen.findByRole('region', { name: 'Accounts with no sign-in for 90 days' });
    expect(within(idleGroup).getByLabelText('2 findings')).toBeTruthy();
    expect(within(idleGroup).getAllByRole('button', { name: 'Deactivate' })).toHaveLength(1); // Carl's is not allowed
    expect(within(screen.getByRole('region', { name: 'More than three admins' })).queryByRole('button')).toBeNull();
    expect(screen.getByText('5 things to look at')).toBeTruthy();
    const rename = within(screen.getByRole('region', { name: 'Roles with a generic name' })).getByRole('link', { name: 'Rename in the role editor' });
    expect(rename.getAttribute('href')).toBe('/roles/r1');
  });

  it('asks before a fix, then takes it through the action’s own endpoint', async () => {
    const { calls } = mockFetch((req) => {
      const u = new URL(req.url);
      if (u.pathname === '/api/users/u1/deactivate') return { body: { id: 'u1', name: 'Sam Staff', email: 's@a.test', roleId: 'staff', status: 'deactivated' } };
      return { body: { items: [idle('u1', 'Sam Staff', true)] } };
    });
    renderWithProviders(<LintPage me={me} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Deactivate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deactivate the account?' });
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && new URL(c.url).pathname === '/api/users/u1/deactivate')).toBe(true));
  });

  it('says when there is nothing to warn about, in Portuguese too', async () => {
    mockFetch(() => ({ body: { items: [] } }));
    const { unmount } = renderWithProviders(<LintPage me={me} />);
    expect(await screen.findByText('Nothing to warn about')).toBeTruthy();
    unmount();
    await i18n.changeLanguage('pt-BR');
    renderWithProviders(<LintPage me={me} />);
    expect(await screen.findByText('Nada a apontar')).toBeTruthy();
    expect(screen.getByText('Boas práticas de acesso')).toBeTruthy();
  });
});
