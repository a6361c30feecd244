import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken } from '../api/client';
import i18n from '../i18n';
import { mockFetch, renderWithProviders } from '../test/render';
import { RoleComparisonPage } from './RoleComparisonPage';

const catalog = {
  areas: [{ key: 'projects', label: 'Projects' }],
  items: [{ key: 'projects.view', area: 'projects', label: 'View projects', description: '', scopes: ['assigned', 'all'], kinds: ['internal', 'client'] }],
};
const roles = {
  items: [{ id: 'staff', name: 'Staff', kind: 'internal', builtIn: true, permissions: [{ key: 'projects.view', scope: 'assigned' }], userCount: 2 }],
};
const base = {
  roleId: '', roleName: '', previousRoleId: '', previousRoleName: '', targetId: '', targetName: '', level: '', note: '',
  givenById: 'u-owner', givenByName: 'Olivia Owner', createdAt: '2026-11-22T09:00:00Z', endedAt: null, endedHow: '', canRevoke: true, held: false,
};
const grants = [
  { ...base, id: 'g1', userId: 'u-bea', userName: 'Bea Staff', kind: 'permission', permission: 'projects.view', scope: 'all', until: '2026-11-29T12:00:00Z' },
  { ...base, id: 'g2', userId: 'u-cy', userName: 'Cy Staff', kind: 'role', permission: '', scope: '', roleId: 'admin', roleName: 'Admin', previousRoleId: 'staff', previousRoleName: 'Staff', until: '2026-11-30T12:00:00Z' },
  { ...base, id: 'g3', userId: 'u-dee', userName: 'Dee Staff', kind: 'project', permission: '', scope: '', targetId: 'p1', targetName: 'Apollo', until: null },
];

describe('RoleComparisonPage', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows extra permissions and roles for a while as their own path beside the roles', async () => {
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/permissions') return { body: catalog };
      if (path === '/api/grants') return { body: { items: grants } };
      return { body: roles };
    });
    renderWithProviders(<RoleComparisonPage />);
    const beyond = await screen.findByRole('table', { name: 'Beyond the roles: extra grants' });
    const rows = within(beyond).getAllByRole('row');
    expect(rows).toHaveLength(3); // the header, the permission and the role for a while; not the project
    expect(within(rows[1]).getByText('Bea Staff')).toBeTruthy();
    expect(within(rows[1]).getByText(/View projects/)).toBeTruthy();
    expect(within(rows[1]).getByText(/^Extra grant by Olivia Owner until /)).toBeTruthy();
    expect(within(rows[2]).getByText('Cy Staff')).toBeTruthy();
    expect(screen.queryByText('Dee Staff')).toBeNull();
  });

  it('leaves the section out for a reader who may not list grants', async () => {
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/permissions') return { body: catalog };
      if (path === '/api/grants') return { status: 403, body: { error: { code: 'forbidden', message: 'No.' } } };
      return { body: roles };
    });
    renderWithProviders(<RoleComparisonPage />);
    expect(await screen.findByRole('table', { name: 'Role comparison' })).toBeTruthy();
    expect(screen.queryByText('Beyond the roles: extra grants')).toBeNull();
    expect(screen.queryByText('No.')).toBeNull();
  });
});
