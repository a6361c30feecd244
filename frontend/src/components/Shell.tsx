import { ActionIcon, AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, Tooltip, UnstyledButton, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout, IconMoon, IconSun, IconUserCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { Brand } from './Brand';
import type { Me } from '../api/client';
import { useSignOut } from '../api/hooks';

export type NavItem = {
  to: string;
  label: string;
  icon: ReactNode;
  /** A count beside the label (e.g. unread messages), with what it counts for screen readers; none at 0. */
  badge?: { count: number; label: string };
};

function ColorSchemeToggle() {
  const { t } = useTranslation('shell');
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const next = computed === 'dark' ? 'light' : 'dark';
  const label = next === 'dark' ? t('header.darkMode') : t('header.lightMode');
  return (
    <Tooltip label={label}>
      <ActionIcon variant="default" size="lg" aria-label={label} onClick={() => setColorScheme(next)}>
        {computed === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

/** Header, navbar (the pages of `me.nav`, as `navFor` gives them) and the page itself. */
export function Shell({ me, nav, children }: { me: Me; nav: NavItem[]; children: ReactNode }) {
  const { t } = useTranslation('shell');
  const [opened, { toggle, close }] = useDisclosure(false);
  const signOut = useSignOut();
  const location = useLocation();

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('header.toggleNavigation')} />
            <Brand size="lg" />
          </Group>
          <Group gap="sm" wrap="nowrap">
            {/* One's own name leads to My account (password, notification mails). */}
            <Tooltip label={t('header.myAccount')}>
              <UnstyledButton
                component={Link}
                to="/account"
                visibleFrom="xs"
                aria-label={t('header.myAccountOf', { name: me.user.name, role: me.role.name })}
              >
                <Group gap={6} wrap="nowrap" data-testid="current-user">
                  <Text size="sm" fw={500}>
                    {me.user.name}
                  </Text>
                  <Badge variant="light" tt="none" color={me.role.kind === 'client' ? 'grape' : 'blue'}>
                    {me.role.name}
                  </Badge>
                </Group>
              </UnstyledButton>
            </Tooltip>
            <Tooltip label={t('header.myAccount')}>
              <ActionIcon component={Link} to="/account" variant="default" size="lg" hiddenFrom="xs" aria-label={t('header.myAccount')}>
                <IconUserCircle size={18} />
              </ActionIcon>
            </Tooltip>
            <ColorSchemeToggle />
            <Button
              variant="default"
              leftSection={<IconLogout size={16} />}
              onClick={() => signOut.mutate()}
              loading={signOut.isPending}
            >
              {t('header.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('header.mainMenu')}>
        {/* The menu scrolls on its own when it is taller than the window (a full Admin's is). */}
        <AppShell.Section grow component={ScrollArea} type="auto">
          {nav.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={item.icon}
              rightSection={
                item.badge && item.badge.count > 0 ? (
                  <Badge size="sm" variant="filled" color="red" aria-label={item.badge.label} data-testid="nav-badge">
                    {item.badge.count > 99 ? '99+' : item.badge.count}
                  </Badge>
                ) : undefined
              }
              active={location.pathname === item.to || location.pathname.startsWith(item.to + '/')}
              onClick={close}
            />
          ))}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
