import { IconChartBar, IconChecklist, IconClipboardCheck, IconListCheck, IconUserCheck, IconFileInvoice, IconFolder, IconHistory, IconHome, IconLayoutKanban, IconMailForward, IconMessages, IconSettings, IconShieldCheck, IconShieldLock, IconTable, IconTags, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import { Suspense, lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { Me } from './api/client';
import { Loading } from './components/Loading';
import { NotAllowed } from './components/NotAllowed';
import type { NavItem } from './components/Shell';
import i18n from './i18n';
import { navLabel } from './lib/permissions';

// Each page is its own chunk, loaded when first opened (the first load carries the shell,
// the sign-in and the libraries only); Suspense in AppRoutes shows Loading meanwhile.
const AccountPage = lazy(() => import('./pages/AccountPage').then((m) => ({ default: m.AccountPage })));
const ActivityPage = lazy(() => import('./pages/ActivityPage').then((m) => ({ default: m.ActivityPage })));
const ClientEngagementPage = lazy(() => import('./pages/ClientEngagementPage').then((m) => ({ default: m.ClientEngagementPage })));
const EmailLogPage = lazy(() => import('./pages/EmailLogPage').then((m) => ({ default: m.EmailLogPage })));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const LintPage = lazy(() => import('./pages/LintPage').then((m) => ({ default: m.LintPage })));
const OverviewPage = lazy(() => import('./pages/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const RoleComparisonPage = lazy(() => import('./pages/RoleComparisonPage').then((m) => ({ default: m.RoleComparisonPage })));
const RolesPage = lazy(() => import('./pages/roles/RolesPage').then((m) => ({ default: m.RolesPage })));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const UsersPage = lazy(() => import('./pages/users/UsersPage').then((m) => ({ default: m.UsersPage })));
const BoardsSection = lazy(() => import('./pages/boards/BoardsSection').then((m) => ({ default: m.BoardsSection })));
const ChatPage = lazy(() => import('./pages/chat/ChatPage').then((m) => ({ default: m.ChatPage })));
const InvoicingSection = lazy(() => import('./pages/invoicing/InvoicingSection').then((m) => ({ default: m.InvoicingSection })));
const ProjectsSection = lazy(() => import('./pages/projects/ProjectsSection').then((m) => ({ default: m.ProjectsSection })));
const TasksPage = lazy(() => import('./pages/tasks/TasksPage').then((m) => ({ default: m.TasksPage })));
const TaskTypesPage = lazy(() => import('./pages/taskTypes/TaskTypesPage').then((m) => ({ default: m.TaskTypesPage })));
const TeamsPage = lazy(() => import('./pages/teams/TeamsPage').then((m) => ({ default: m.TeamsPage })));
const MyReviewPage = lazy(() => import('./pages/reviews/MyReviewPage').then((m) => ({ default: m.MyReviewPage })));
const ReviewsSection = lazy(() => import('./pages/reviews/ReviewsSection').then((m) => ({ default: m.ReviewsSection })));

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
    // Inside the shell: the menu stays while a page's chunk loads.
    <Suspense fallback={<Loading />}>
      <Routes>
        {(Object.keys(pages) as NavKey[]).map((key) => {
          const p = pages[key];
          return <Route key={key} path={p.path ?? p.to} element={open.has(key) ? p.render(me) : <NotAllowed />} />;
        })}
        {/* Everyone's own (the header's name leads here), not a page of the menu. */}
        <Route path="/account" element={<AccountPage me={me} />} />
        <Route path="*" element={<Navigate to={home} replace />} />
      </Routes>
    </Suspense>
  );
}
