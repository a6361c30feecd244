import type { Me } from './api/client';
import { useChatUnread } from './api/chat';
import { Shell } from './components/Shell';
import { ViewAsBanner } from './components/ViewAsBanner';
import { readOnlyMe } from './lib/permissions';
import { useViewAs } from './lib/readOnly';
import { AppRoutes, navFor } from './routes';

/** The app once signed in: the shell, its menu and the pages (a chunk of its own). */
export function SignedInApp({ me }: { me: Me }) {
  // While viewing as someone, `me` is theirs (GET /api/me carries X-View-As) and pages get
  // it without any permission that changes things: the app is read-only.
  const viewAs = useViewAs();
  // The menu's unread badge: GET /api/chat polled only while chat is in the menu.
  const chatUnread = useChatUnread(me.nav.some((n) => n.key === 'chat'));
  return (
    <Shell me={me} nav={navFor(me, { chatUnread })}>
      <ViewAsBanner />
      <AppRoutes me={viewAs ? readOnlyMe(me) : me} />
    </Shell>
  );
}
