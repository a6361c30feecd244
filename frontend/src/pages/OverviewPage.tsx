import { Alert, Anchor, Badge, Card, Code, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Me } from '../api/client';
import { usePermissions } from '../api/hooks';
import { groupGrants, pageLabel, pageName, scopeLabel } from '../lib/permissions';
import { MyLinkedIdentities } from '../components/LinkedIdentities';
import { ReviewDueNotice } from './reviews/ReviewsSection';

function nextSteps(me: Me, t: TFunction<'overview'>): string[] {
  const steps: string[] = [];
  if (me.permissions.length === 0) {
    steps.push(t('steps.nothingAllowed'));
    return steps;
  }
  const projects = me.permissions.find((p) => p.key === 'projects.view');
  if (!projects) {
    if (me.role.kind === 'client') {
      steps.push(t('steps.askContact'));
    } else if (me.permissions.length <= 3) {
      steps.push(t('steps.askProject'));
    }
  } else if (projects.scope !== 'all') {
    steps.push(t('steps.memberProjects'));
  }
  const users = pageName(me, 'users');
  // The server names the users page after whom it lists: "Clients" lists one's clients.
  const clients = pageLabel(me, 'users') === 'Clients';
  if (users) steps.push(clients ? t('steps.openClients', { page: users }) : t('steps.openUsers', { page: users }));
  const roles = pageName(me, 'roles');
  if (roles) steps.push(t('steps.openRoles', { page: roles }));
  return steps;
}

/** Who you are, what your role allows, and what to do next. */
export function OverviewPage({ me }: { me: Me }) {
  const { t } = useTranslation('overview');
  const catalog = usePermissions();
  const groups = groupGrants(me.permissions, catalog.data);
  const steps = nextSteps(me, t);

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1}>{t('welcome', { name: me.user.name })}</Title>
        <Group gap="xs" mt="xs">
          <Text c="dimmed">{t('yourRole')}</Text>
          <Badge variant="light" size="lg" tt="none">
            {me.role.name}
          </Badge>
          <Text c="dimmed" size="sm">
            ({me.role.kind === 'client' ? t('clientPortal') : t('internalTeam')})
          </Text>
        </Group>
        <Text size="sm" mt="xs">
          <Trans t={t} i18nKey="account" components={{ link: <Anchor component={Link} to="/account" /> }} />
        </Text>
      </div>
      {/* Who runs access reviews is told when the quarter's is due, with a way to start it. */}
      {me.nav.some((n) => n.key === 'reviews') && <ReviewDueNotice />}

      {steps.length > 0 && (
        <Alert icon={<IconInfoCircle size={18} />} title={t('nextSteps')} variant="light">
          <List size="sm" spacing={4}>
            {steps.map((s) => (
              <List.Item key={s}>{s}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      <div>
        <Title order={2} size="h3" mb="sm">
          {t('allows')}
        </Title>
        {groups.length === 0 ? (
          <Text c="dimmed">{t('nothingYet')}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {groups.map((g) => (
              <Card key={g.area} withBorder padding="md" component="section" aria-label={g.label}>
                <Text fw={600} mb="xs">
                  {g.label}
                </Text>
                <List size="sm" spacing={4}>
                  {g.items.map((item) => (
                    <List.Item key={item.key}>
                      {item.label !== item.key ? item.label : <Code>{item.key}</Code>}
                      {item.scope && (
                        <Badge ml={6} size="xs" variant="outline">
                          {scopeLabel(item.scope)}
                        </Badge>
                      )}
                    </List.Item>
                  ))}
                </List>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </div>

      <MyLinkedIdentities />
    </Stack>
  );
}
