import { Alert, Anchor, Badge, Card, Code, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { Me } from '../api/client';
import { usePermissions } from '../api/hooks';
import { groupGrants, pageLabel } from '../lib/permissions';
import { MyLinkedIdentities } from '../components/LinkedIdentities';

function nextSteps(me: Me): string[] {
  const steps: string[] = [];
  if (me.permissions.length === 0) {
    steps.push('Your role does not allow anything yet. Ask an administrator to give you a role that fits your work.');
    return steps;
  }
  const projects = me.permissions.find((p) => p.key === 'projects.view');
  if (!projects) {
    if (me.role.kind === 'client') {
      steps.push('Ask your contact at the team to attach you to your project.');
    } else if (me.permissions.length <= 3) {
      steps.push('Ask an administrator to add you to a project.');
    }
  } else if (projects.scope !== 'all') {
    steps.push('You see the projects you are a member of. If one is missing, ask an administrator to add you to a project.');
  }
  const users = pageLabel(me, 'users');
  if (users) steps.push(`Open ${users} to see ${users === 'Clients' ? 'your clients' : 'the people you work with'}.`);
  const roles = pageLabel(me, 'roles');
  if (roles) steps.push(`Open ${roles} to tailor what each role may do.`);
  return steps;
}

/** Who you are, what your role allows, and what to do next. */
export function OverviewPage({ me }: { me: Me }) {
  const catalog = usePermissions();
  const groups = groupGrants(me.permissions, catalog.data);
  const steps = nextSteps(me);

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1}>Welcome, {me.user.name}</Title>
        <Group gap="xs" mt="xs">
          <Text c="dimmed">Your role:</Text>
          <Badge variant="light" size="lg" tt="none">
            {me.role.name}
          </Badge>
          <Text c="dimmed" size="sm">
            ({me.role.kind === 'client' ? 'client portal' : 'internal team'})
          </Text>
        </Group>
        <Text size="sm" mt="xs">
          <Anchor component={Link} to="/account">
            My account
          </Anchor>
          : change your password, choose which notification mails you get.
        </Text>
      </div>

      {steps.length > 0 && (
        <Alert icon={<IconInfoCircle size={18} />} title="What to do next" variant="light">
          <List size="sm" spacing={4}>
            {steps.map((s) => (
              <List.Item key={s}>{s}</List.Item>
            ))}
          </List>
        </Alert>
      )}

      <div>
        <Title order={2} size="h3" mb="sm">
          What your role allows
        </Title>
        {groups.length === 0 ? (
          <Text c="dimmed">Nothing yet.</Text>
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
                          {item.scope}
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
