import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me, type Role, type User } from '../../api/client';
import { mockFetch, renderWithProviders } from '../../test/render';
import { ExtraAccessSection } from './ExtraAccessSection';

const me: Me = {
  user: { id: 'u-owner', name: 'Olivia Owner', email: 'o@example.test', roleId: 'admin', roleName: 'Admin', roleKind: 'internal', status: 'active', mustChangePassword: false, createdAt: '2026-01-01T00:00:00Z' },
  role: { id: 'admin', name: 'Admin', kind: 'internal' },
  permissions: [
    { key: 'projects.view', scope: 'all' },
    { key: 'users.edit', scope: 'all' },
  ],
  emailConfigured: false,
  currency: 'EUR',
  nav: [{ key: 'users', label: 'Users' }],
};

const bea: User = {
  id: 'u-bea',
  name: 'Bea Staff',
  email: 'bea@example.test',
  roleId: 'staff',
  roleName: 'Staff',
  roleKind: 'internal',
  status: 'active',
  mustChangePassword: false,
  createdAt: '2026-01-01T00:00:00Z',
  actions: ['users.edit'],
};

const role = (id: string, kind: Role['kind'], actions: string[], permissions: Role['permissions'] = []): Role =>
  ({ id, name: id[0].toUpperCase() + id.slice(1), kind, builtIn: true, description: '', permissions, assignableRoleIds: [], userCount: 0, mayGive: true, actions }) as Role;

function serve() {
  const bodies: unknown[] = [];
  const { calls } = mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/users/u-bea/grants' && req.method === 'POST') {
      bodies.push(await req.json());
      return { status: 201, body: {} };
    }
    if (path === '/api/users/u-bea/grants') return { body: { items: [] } };
    if (path === '/api/permissions')
      return {
        body: {
          areas: [{ key: 'projects', label: 'Projects' }],
          items: [{ key: 'projects.view', area: 'projects', label: 'See projects', description: '', scopes: ['assigned', 'all'], kinds: ['internal', 'client'] }],
        },
      };
    if (path === '/api/roles')
      return { body: { items: [role('admin', 'internal', ['users.edit']), role('staff', 'internal', ['users.edit'], [{ key: 'projects.view', scope: 'assigned' }]), role('client', 'client', ['users.edit'])] } };
    if (path === '/api/projects')
      return {
        body: {
          items: [
            { id: 'p1', name: 'Launch', description: '', status: 'active', members: [], teams: [], clients: [], taskCount: 0, createdAt: '2026-01-01T00:00:00Z', actions: ['members'] },
            { id: 'p2', name: 'Hidden work', description: '', status: 'active', members: [], teams: [], clients: [], taskCount: 0, createdAt: '2026-01-01T00:00:00Z', actions: [] },
          ],
          next: null,
          total: 2,
        },
      };
    return { body: { items: [], next: null } };
  });
  return { calls, bodies };
}

const inputOf = (el: HTMLElement, label: string) => within(el).getAllByLabelText(label).find((i) => i.tagName === 'INPUT')!;
const findInput = async (el: HTMLElement, label: string) => {
  await within(el).findAllByLabelText(label);
  return inputOf(el, label);
};

describe('ExtraAccessSection', () => {
  afterEach(() => setToken(null));

  it('gives a role for a while only with an end date, offering only roles of the same kind the asker may give', async () => {
    setToken('tok');
    const { bodies } = serve();
    const user = userEvent.setup();
    renderWithProviders(<ExtraAccessSection user={bea} me={me} />);
    const section = await screen.findByTestId('extra-access');
    await within(section).findByText(/No extra access/);

    await user.click(inputOf(section, 'What to give'));
    await user.click(await screen.findByRole('option', { name: 'A role for a while' }));
    await user.click(inputOf(section, 'Role'));
    // Admin (may give, same kind); not Staff (held) nor Client (another kind).
    expect((await screen.findAllByRole('option')).map((o) => o.textContent)).toEqual(['Admin']);
    await user.click(screen.getByRole('option', { name: 'Admin' }));
    const giveButton = within(section).getByRole('button', { name: 'Give' });
    expect(giveButton.hasAttribute('disabled')).toBe(true);
    await user.type(within(section).getByLabelText(/Until/), '2099-01-31');
    await waitFor(() => expect(giveButton.hasAttribute('disabled')).toBe(false));
    await user.click(giveButton);
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toMatchObject({ kind: 'role', roleId: 'admin' });
    expect((bodies[0] as { until: string }).until).toMatch(/^2099-0[12]-/);
  });

  it('gives a project membership on a project the asker may add members to, with no end', async () => {
    setToken('tok');
    const { bodies } = serve();
    const user = userEvent.setup();
    renderWithProviders(<ExtraAccessSection user={bea} me={me} />);
    const section = await screen.findByTestId('extra-access');
    await user.click(inputOf(section, 'What to give'));
    await user.click(await screen.findByRole('option', { name: 'A project membership' }));
    await user.click(await findInput(section, 'Project'));
    expect((await screen.findAllByRole('option')).map((o) => o.textContent)).toEqual(['Launch']);
    await user.click(screen.getByRole('option', { name: 'Launch' }));
    await user.click(within(section).getByRole('button', { name: 'Give' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ kind: 'project', targetId: 'p1', until: null });
  });

  it('refuses an end in the past before sending', async () => {
    setToken('tok');
    const { bodies } = serve();
    const user = userEvent.setup();
    renderWithProviders(<ExtraAccessSection user={bea} me={me} />);
    const section = await screen.findByTestId('extra-access');
    await user.click(await findInput(section, 'Permission to give'));
    // The role holds "assigned": only "all" is left to give, so no scope to choose.
    await user.click(await screen.findByRole('option', { name: /See projects/ }));
    await user.type(within(section).getByLabelText(/Until/), '2001-01-01');
    expect(await within(section).findByText('The end cannot be in the past.')).toBeTruthy();
    expect(within(section).getByRole('button', { name: 'Give' }).hasAttribute('disabled')).toBe(true);
    expect(bodies).toHaveLength(0);
  });
});
