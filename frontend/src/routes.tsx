import { IconHistory, IconHome, IconShieldLock, IconTable, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { Me } from './api/client';
import { NotAllowed } from './components/NotAllowed';
import type { NavItem } from './components/Shell';
import { can, usersPageLabel } from './lib/permissions';
import { ActivityPage } from './pages/ActivityPage';
import { OverviewPage } from './pages/OverviewPage';
import { RoleComparisonPage } from './pages/RoleComparisonPage';
import { RolesPage } from './pages/roles/RolesPage';
import { UsersPage } from './pages/users/UsersPage';

type Page = Omit<NavItem, 'label'> & {
  label: string | ((me: Me) => string);
  /** Courtesy only: whether /api/me suggests this page is of use. The server decides. */
  allowed: (me: Me) => boolean;
  render: (me: Me) => ReactNode;
  /** Route pattern when the page has sub-routes (defaults to `to`). */
  path?: string;
};

const pages: Page[] = [
  {
    to: '/overview',
    label: 'Overview',
    icon: <IconHome size={18} />,
    allowed: () => true,
    render: (me) => <OverviewPage me={me} />,
  },
  {
    to: '/users',
    label: (me) => usersPageLabel(me),
    icon: <IconUsers size={18} />,
    allowed: (me) => can(me, 'users.view'),
    render: (me) => <UsersPage me={me} />,
  },
  {
    to: '/roles',
    path: '/roles/*',
    label: 'Roles',
    icon: <IconShieldLock size={18} />,
    allowed: (me) => can(me, 'roles.manage'),
    render: () => <RolesPage />,
  },
  {
    to: '/compare',
    label: 'Role comparison',
    icon: <IconTable size={18} />,
    allowed: (me) => can(me, 'roles.manage') || can(me, 'users.view'),
    render: () => <RoleComparisonPage />,
  },
  {
    to: '/activity',
    label: 'Activity',
    icon: <IconHistory size={18} />,
    allowed: (me) => can(me, 'activity.team'),
    render: () => <ActivityPage />,
  },
];

export function navFor(me: Me): NavItem[] {
  return pages
    .filter((p) => p.allowed(me))
    .map(({ to, label, icon }) => ({ to, icon, label: typeof label === 'function' ? label(me) : label }));
}

export function AppRoutes({ me }: { me: Me }) {
  return (
    <Routes>
      {pages.map((p) => (
        <Route key={p.to} path={p.path ?? p.to} element={p.allowed(me) ? p.render(me) : <NotAllowed />} />
      ))}
      <Route path="*" element={<Navigate to="/overview" replace />} />
    </Routes>
  );
}
