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
});
