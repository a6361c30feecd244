import { Stack, Tabs } from '@mantine/core';
import { IconBuilding, IconCreditCard, IconInfoCircle, IconLogin2, IconMail } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import type { Me } from '../../api/client';
import { NotAllowed } from '../../components/NotAllowed';
import { PageHeader } from '../../components/PageHeader';
import { can, pageLabel } from '../../lib/permissions';
import { AboutPage } from './AboutPage';
import { EmailSettingsPage } from './EmailSettingsPage';
import { GeneralSettingsPage } from './GeneralSettingsPage';
import { PaymentSettingsPage } from './PaymentSettingsPage';
import { SignInSettingsPage } from './SignInSettingsPage';

type Tab = { value: string; label: string; icon: ReactNode; permission: string; render: (me: Me) => ReactNode };

// The server shows Settings to holders of either permission; each tab is for holders of
// its own (the server refuses the rest anyway).
const TABS: Tab[] = [
  {
    value: 'general',
    label: 'General',
    icon: <IconBuilding size={16} />,
    permission: 'settings.general',
    render: () => <GeneralSettingsPage />,
  },
  {
    value: 'sign-in',
    label: 'Sign-in',
    icon: <IconLogin2 size={16} />,
    permission: 'settings.integrations',
    render: () => <SignInSettingsPage />,
  },
  {
    value: 'email',
    label: 'Email',
    icon: <IconMail size={16} />,
    permission: 'settings.email',
    render: (me) => <EmailSettingsPage me={me} />,
  },
  {
    value: 'payments',
    label: 'Payments',
    icon: <IconCreditCard size={16} />,
    permission: 'settings.integrations',
    render: () => <PaymentSettingsPage />,
  },
  {
    value: 'about',
    label: 'About',
    icon: <IconInfoCircle size={16} />,
    permission: 'settings.licence',
    render: () => <AboutPage />,
  },
];

/** Settings (/settings/:tab): a tab per area this person may change. */
export function SettingsPage({ me }: { me: Me }) {
  const { tab } = useParams();
  const navigate = useNavigate();
  const tabs = TABS.filter((t) => can(me, t.permission));
  if (tabs.length === 0) return <NotAllowed />;
  const current = tabs.find((t) => t.value === tab);
  if (!current) {
    // /settings, or a tab of a permission this person does not hold: the first tab they do.
    if (!tab || !TABS.some((t) => t.value === tab)) return <Navigate to={`/settings/${tabs[0].value}`} replace />;
    return <NotAllowed />;
  }
  return (
    <Stack gap="md" maw={760}>
      <PageHeader title={pageLabel(me, 'settings') ?? 'Settings'} />
      <Tabs value={current.value} onChange={(v) => v && navigate(`/settings/${v}`)} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={t.icon}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((t) => (
          <Tabs.Panel key={t.value} value={t.value}>
            {t.render(me)}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
