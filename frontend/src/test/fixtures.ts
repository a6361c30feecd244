import type { Me } from '../api/client';

type NavKey = Me['nav'][number]['key'];

const LABELS: Partial<Record<NavKey, string>> = {
  overview: 'Overview',
  projects: 'Projects',
  tasks: 'Tasks',
  boards: 'Boards',
  users: 'Team',
};

/**
 * A signed-in person's /api/me for page tests: Sam Staff (role Staff) unless `user` and
 * `role` say otherwise, holding `permissions`, with the menu entries `nav` (keys, labelled
 * as the server labels them).
 */
export function makeMe({
  user = {},
  role = { id: 'staff', name: 'Staff', kind: 'internal' },
  permissions,
  nav,
}: {
  user?: Partial<Me['user']>;
  role?: Me['role'];
  permissions: Me['permissions'];
  nav: NavKey[];
}): Me {
  return {
    user: {
      id: 'u-me',
      name: 'Sam Staff',
      email: 'sam@example.test',
      roleId: role.id,
      roleName: role.name,
      roleKind: role.kind,
      status: 'active',
      mustChangePassword: false,
      createdAt: '2026-01-01T00:00:00Z',
      ...user,
    },
    role,
    permissions,
    nav: nav.map((key) => ({ key, label: LABELS[key] ?? key })),
    emailConfigured: false,
    currency: 'EUR',
  };
}
