import { Stack, Tabs } from '@mantine/core';
import { IconBuilding, IconCreditCard, IconDatabase, IconInfoCircle, IconLogin2, IconMail, IconShieldLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import type { Me } from '../../api/client';
import { NotAllowed } from '../../components/NotAllowed';
import { PageHeader } from '../../components/PageHeader';
import { can, pageLabel } from '../../lib/permissions';
import { AboutPage } from './AboutPage';
import { BackupsPage } from './BackupsPage';
import { EmailSettingsPage } from './EmailSettingsPage';
import { GeneralSettingsPage } from './GeneralSettingsPage';
import { PaymentSettingsPage } from './PaymentSettingsPage';
import { SecuritySettingsPage } from './SecuritySettingsPage';
import { SignInSettingsPage } from './SignInSettingsPage';

/** `label`: the tab's name, a key of the settings namespace. */
type Tab = { value: string; label: string; icon: ReactNode; permission: string; render: (me: Me) => ReactNode };

// The server shows Settings to holders of any of these permissions; each tab is for
// holders of its own (the server refuses the rest anyway).
const TABS: Tab[] = [
  {
    value: 'general',
    label: 'tabs.general',
    icon: <IconBuilding size={16} />,
    permission: 'settings.general',
    render: () => <GeneralSettingsPage />,
  },
  {
    value: 'sign-in',
    label: 'tabs.signIn',
    icon: <IconLogin2 size={16} />,
    permission: 'settings.integrations',
    render: () => <SignInSettingsPage />,
  },
  {
    value: 'email',
    label: 'tabs.email',
    icon: <IconMail size={16} />,
    permission: 'settings.email',
    render: (me) => <EmailSettingsPage me={me} />,
  },
  {
    value: 'payments',
    label: 'tabs.payments',
    icon: <IconCreditCard size={16} />,
    permission: 'settings.integrations',
    render: () => <PaymentSettingsPage />,
  },
  {
    value: 'security',
    label: 'tabs.security',
    icon: <IconShieldLock size={16} />,
    permission: 'settings.security',
    render: (me) => <SecuritySettingsPage me={me} />,
  },
  {
    value: 'backups',
    label: 'tabs.backups',
    icon: <IconDatabase size={16} />,
    permission: 'settings.licence',
    render: () => <BackupsPage />,
  },
  {
    value: 'about',
    label: 'tabs.about',
    icon: <IconInfoCircle size={16} />,
    permission: 'settings.licence',
    render: () => <AboutPage />,
  },
];

/** Settings (/settings/:tab): a tab per area this person may change. */
export function SettingsPage({ me }: { me: Me }) {
  const { t } = useTranslation('settings');
  const { tab } = useParams();
  const navigate = useNavigate();
  const tabs = TABS.filter((tab) => can(me, tab.permission));
  if (tabs.length === 0) return <NotAllowed />;
  const current = tabs.find((tb) => tb.value === tab);
  if (!current) {
    // /settings, or a tab of a permission this person does not hold: the first tab they do.
    if (!tab || !TABS.some((tb) => tb.value === tab)) return <Navigate to={`/settings/${tabs[0].value}`} replace />;
    return <NotAllowed />;
  }
  return (
    <Stack gap="md" maw={760}>
      <PageHeader title={pageLabel(me, 'settings') ?? t('title')} />
      <Tabs value={current.value} onChange={(v) => v && navigate(`/settings/${v}`)} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((tb) => (
            <Tabs.Tab key={tb.value} value={tb.value} leftSection={tb.icon}>
              {t(tb.label)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((tb) => (
          <Tabs.Panel key={tb.value} value={tb.value}>
            {tb.render(me)}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
