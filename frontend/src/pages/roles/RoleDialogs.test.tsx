import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../api/client';
import { mockFetch, renderWithProviders } from '../../test/render';
import { DeleteRoleModal } from './RoleDialogs';

const role = (id: string, name: string, actions: Role['actions'], userCount = 0): Role => ({
  id,
  name,
  kind: 'internal',
  builtIn: false,
  description: '',
  permissions: [],
  assignableRoleIds: [],
  userCount,
  mayGive: actions.length > 0,
  actions,
});

describe('DeleteRoleModal', () => {
  it('offers to move its people only into roles the asker may move people into', async () => {
    mockFetch(() => ({ status: 204 }));
    const designer = role('designer', 'Designer', ['users.create', 'users.edit'], 2);
    const roles = [role('admin', 'Admin', []), role('staff', 'Staff', ['users.create', 'users.edit']), role('books', 'Bookkeeper', ['users.create']), designer];
    const user = userEvent.setup();
    renderWithProviders(<DeleteRoleModal role={designer} roles={roles} onClose={() => {}} />);
    await user.click(screen.getAllByLabelText('Move its users to').find((el) => el.tagName === 'INPUT')!);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Staff']);
  });

  it('asks where to move people when the server says someone returns to an unused role', async () => {
    const { calls } = mockFetch((req) =>
      new URL(req.url).searchParams.get('reassignTo')
        ? { status: 204 }
        : {
            status: 409,
            body: { error: { code: 'role_in_use', field: 'reassignTo', message: '1 user holds this role. Choose a role to move them to before deleting it.' } },
          },
    );
    const intern = role('intern', 'Intern', ['users.create', 'users.edit'], 0);
    const roles = [role('staff', 'Staff', ['users.create', 'users.edit']), intern];
    const user = userEvent.setup();
    renderWithProviders(<DeleteRoleModal role={intern} roles={roles} onClose={() => {}} />);
    expect(screen.queryByLabelText('Move its users to')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Delete role' }));
    expect(await screen.findByText(/1 user holds this role/)).toBeTruthy();
    await user.click(screen.getAllByLabelText('Move its users to').find((el) => el.tagName === 'INPUT')!);
    await user.click(screen.getByRole('option', { name: 'Staff' }));
    await user.click(screen.getByRole('button', { name: 'Move users and delete' }));
    expect(calls.map((c) => new URL(c.url).search)).toEqual(['', '?reassignTo=staff']);
  });
});
