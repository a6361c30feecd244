import { IconChecklist, IconFolder, IconHistory, IconHome, IconLayoutKanban, IconSettings, IconShieldLock, IconTable, IconTags, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { Me } from './api/client';
import { NotAllowed } from './components/NotAllowed';
import type { NavItem } from './components/Shell';
import { can, usersPageLabel } from './lib/permissions';
import { ActivityPage } from './pages/ActivityPage';
import { SignInSettingsPage } from './pages/settings/SignInSettingsPage';
import { OverviewPage } from './pages/OverviewPage';
import { RoleComparisonPage } from './pages/RoleComparisonPage';
import { RolesPage } from './pages/roles/RolesPage';
import { UsersPage } from './pages/users/UsersPage';
import { BoardsSection } from './pages/boards/BoardsSection';
import { ProjectsSection } from './pages/projects/ProjectsSection';
import { TasksPage } from './pages/tasks/TasksPage';
import { TaskTypesPage } from './pages/taskTypes/TaskTypesPage';
import { TeamsPage } from './pages/teams/TeamsPage';

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
    to: '/projects',
    path: '/projects/*',
    label: 'Projects',
    icon: <IconFolder size={18} />,
    allowed: (me) => can(me, 'projects.view'),
    render: (me) => <ProjectsSection me={me} />,
  },
  {
    // Every task the user sees, followed ones included (a follower sees no project).
    to: '/tasks',
    label: 'Tasks',
    icon: <IconChecklist size={18} />,
    allowed: (me) => can(me, 'tasks.view') || can(me, 'projects.view'),
    render: (me) => <TasksPage me={me} />,
  },
  {
    to: '/boards',
    path: '/boards/*',
    label: 'Boards',
    icon: <IconLayoutKanban size={18} />,
    // Team members who work on tasks (the portal shows no boards; a Bookkeeper has no use).
    allowed: (me) => me.role.kind === 'internal' && (can(me, 'tasks.view') || can(me, 'projects.view')),
    render: (me) => <BoardsSection me={me} />,
  },
  {
    to: '/users',
    label: (me) => usersPageLabel(me),
    icon: <IconUsers size={18} />,
    allowed: (me) => can(me, 'users.view'),
    render: (me) => <UsersPage me={me} />,
  },
  {
    to: '/teams',
    label: 'Teams',
    icon: <IconUsersGroup size={18} />,
    // Teams are of staff: users.view scoped to clients only does not show them.
    allowed: (me) =>
      me.role.kind === 'internal' &&
      (can(me, 'teams.manage') || ['staff', 'all'].includes(me.permissions.find((p) => p.key === 'users.view')?.scope ?? '')),
    render: (me) => <TeamsPage me={me} />,
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
    to: '/task-types',
    label: 'Task types',
    icon: <IconTags size={18} />,
    allowed: (me) => can(me, 'tasks.types'),
    render: (me) => <TaskTypesPage me={me} />,
  },
  {
    to: '/activity',
    label: 'Activity',
    icon: <IconHistory size={18} />,
    allowed: (me) => can(me, 'activity.team'),
    render: () => <ActivityPage />,
  },
  {
    to: '/settings/sign-in',
    path: '/settings/sign-in',
    label: 'Settings',
    icon: <IconSettings size={18} />,
    allowed: (me) => can(me, 'settings.integrations'),
    render: () => <SignInSettingsPage />,
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
