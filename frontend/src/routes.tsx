import { IconChartBar, IconChecklist, IconClipboardCheck, IconListCheck, IconUserCheck, IconFileInvoice, IconFolder, IconHistory, IconHome, IconLayoutKanban, IconMailForward, IconMessages, IconSettings, IconShieldCheck, IconShieldLock, IconTable, IconTags, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { Me } from './api/client';
import { NotAllowed } from './components/NotAllowed';
import type { NavItem } from './components/Shell';
import i18n from './i18n';
import { navLabel } from './lib/permissions';
import { AccountPage } from './pages/AccountPage';
import { ActivityPage } from './pages/ActivityPage';
import { ClientEngagementPage } from './pages/ClientEngagementPage';
import { EmailLogPage } from './pages/EmailLogPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { LintPage } from './pages/LintPage';
import { OverviewPage } from './pages/OverviewPage';
import { RoleComparisonPage } from './pages/RoleComparisonPage';
import { RolesPage } from './pages/roles/RolesPage';
import { ReportsPage } from './pages/reports/ReportsPage';
import { UsersPage } from './pages/users/UsersPage';
import { BoardsSection } from './pages/boards/BoardsSection';
import { ChatPage } from './pages/chat/ChatPage';
import { InvoicingSection } from './pages/invoicing/InvoicingSection';
import { ProjectsSection } from './pages/projects/ProjectsSection';
import { TasksPage } from './pages/tasks/TasksPage';
import { TaskTypesPage } from './pages/taskTypes/TaskTypesPage';
import { TeamsPage } from './pages/teams/TeamsPage';
import { MyReviewPage } from './pages/reviews/MyReviewPage';
import { ReviewsSection } from './pages/reviews/ReviewsSection';

// 'invoicing' until the contract's menu keys name it (the server sends it already).
type NavKey = Me['nav'][number]['key'];

type Page = Omit<NavItem, 'label'> & {
  render: (me: Me) => ReactNode;
  /** Route pattern when the page has sub-routes (defaults to `to`). */
  path?: string;
};

// Where each page of `me.nav` lives. Which pages show, in which order and under which
// name is the server's answer (GET /api/me): the browser decides none of it.
const pages: Record<NavKey, Page> = {
  overview: {
    to: '/overview',
    icon: <IconHome size={18} />,
    render: (me) => <OverviewPage me={me} />,
  },
  projects: {
    to: '/projects',
    path: '/projects/*',
    icon: <IconFolder size={18} />,
    render: (me) => <ProjectsSection me={me} />,
  },
  tasks: {
    to: '/tasks',
    icon: <IconChecklist size={18} />,
    render: (me) => <TasksPage me={me} />,
  },
  boards: {
    to: '/boards',
    path: '/boards/*',
    icon: <IconLayoutKanban size={18} />,
    render: (me) => <BoardsSection me={me} />,
  },
  chat: {
    to: '/chat',
    // The open channel is in the address: /chat/everyone, /chat/team:<id>, /chat/dm:<a>:<b>.
    path: '/chat/:channel?',
    icon: <IconMessages size={18} />,
    render: (me) => <ChatPage me={me} />,
  },
  users: {
    to: '/users',
    icon: <IconUsers size={18} />,
    render: (me) => <UsersPage me={me} />,
  },
  teams: {
    to: '/teams',
    icon: <IconUsersGroup size={18} />,
    render: (me) => <TeamsPage me={me} />,
  },
  roles: {
    to: '/roles',
    path: '/roles/*',
    icon: <IconShieldLock size={18} />,
    render: () => <RolesPage />,
  },
  compare: {
    to: '/compare',
    icon: <IconTable size={18} />,
    render: () => <RoleComparisonPage />,
  },
  lint: {
    to: '/lint',
    icon: <IconShieldCheck size={18} />,
    render: (me) => <LintPage me={me} />,
  },
  reviews: {
    to: '/reviews',
    path: '/reviews/*',
    icon: <IconClipboardCheck size={18} />,
    render: (me) => <ReviewsSection me={me} />,
  },
  myReview: {
    to: '/my-review',
    icon: <IconListCheck size={18} />,
    render: (me) => <MyReviewPage me={me} />,
  },
  taskTypes: {
    to: '/task-types',
    icon: <IconTags size={18} />,
    render: (me) => <TaskTypesPage me={me} />,
  },
  reports: {
    to: '/reports',
    icon: <IconChartBar size={18} />,
    render: () => <ReportsPage />,
  },
  activity: {
    to: '/activity',
    icon: <IconHistory size={18} />,
    render: () => <ActivityPage />,
  },
  clientActivity: {
    to: '/client-activity',
    icon: <IconUserCheck size={18} />,
    render: (me) => <ClientEngagementPage me={me} />,
  },
  emailLog: {
    to: '/email-log',
    icon: <IconMailForward size={18} />,
    render: (me) => <EmailLogPage me={me} />,
  },
  invoicing: {
    to: '/invoicing',
    // The team's tabs (/invoicing/revenue, /invoicing/details) and one invoice (/invoicing/:id).
    path: '/invoicing/*',
    icon: <IconFileInvoice size={18} />,
    render: (me) => <InvoicingSection me={me} />,
  },
  settings: {
    to: '/settings',
    path: '/settings/:tab?',
    icon: <IconSettings size={18} />,
    render: (me) => <SettingsPage me={me} />,
  },
};

/** Counts shown beside menu entries: unread chat messages. */
export type NavBadges = { chatUnread?: number };

/** The menu: exactly the pages of `me.nav`, in its order, with its labels (in the UI's language). */
export function navFor(me: Me, { chatUnread = 0 }: NavBadges = {}): NavItem[] {
  return me.nav
    .filter((n) => n.key in pages)
    .map((n) => ({
      to: pages[n.key].to,
      icon: pages[n.key].icon,
      label: navLabel(n),
      ...(n.key === 'chat' && chatUnread > 0
        ? { badge: { count: chatUnread, label: i18n.t('shell:nav.unread', { count: chatUnread }) } }
        : {}),
    }));
}

export function AppRoutes({ me }: { me: Me }) {
  const open = new Set<NavKey>(me.nav.map((n) => n.key));
  const home = navFor(me)[0]?.to ?? '/overview';
  return (
    <Routes>
      {(Object.keys(pages) as NavKey[]).map((key) => {
        const p = pages[key];
        return <Route key={key} path={p.path ?? p.to} element={open.has(key) ? p.render(me) : <NotAllowed />} />;
      })}
      {/* Everyone's own (the header's name leads here), not a page of the menu. */}
      <Route path="/account" element={<AccountPage me={me} />} />
      <Route path="*" element={<Navigate to={home} replace />} />
    </Routes>
  );
}
