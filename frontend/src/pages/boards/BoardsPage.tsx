import { Anchor, Badge, Button, Card, Center, Drawer, EmptyState, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLayoutKanban, IconLock, IconPlus, IconWorld } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { errorMessage, type Me } from '../../api/client';
import { useBoards } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { can } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { BoardForm } from './BoardForm';

export function BoardsPage({ me }: { me: Me }) {
  const { t } = useTranslation('boards');
  const boards = useBoards();
  const readOnly = useReadOnly();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const canCreate = !readOnly && can(me, 'tasks.columns');
  const rows = boards.data ?? [];

  return (
    <Stack gap="md">
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={
          canCreate && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
              {t('list.newBoard')}
            </Button>
          )
        }
      />
      {boards.isError && <ErrorAlert message={errorMessage(boards.error)} />}
      {boards.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconLayoutKanban size={28} />}
          withIndicatorBackground
          title={t('list.emptyTitle')}
          description={canCreate ? t('list.emptyCreate') : t('list.empty')}
          py="xl"
        >
          {canCreate && (
            <Button mt="md" onClick={() => setCreating(true)}>
              {t('list.newBoard')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {rows.map((b) => (
            <Card key={b.id} withBorder padding="md" data-testid="board-card">
              <Group justify="space-between" wrap="nowrap">
                <Anchor component={Link} to={`/boards/${b.id}`} fw={600}>
                  {b.name}
                </Anchor>
                <Badge
                  variant="light"
                  tt="none"
                  color={b.visibility === 'invited' ? 'orange' : 'gray'}
                  leftSection={b.visibility === 'invited' ? <IconLock size={12} /> : <IconWorld size={12} />}
                >
                  {b.visibility === 'invited' ? t('visibility.invited') : t('visibility.open')}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed" mt={4}>
                {t('count.stage', { count: b.stages.length })}: {b.stages.map((s) => s.name).join(' → ') || '—'}
              </Text>
              {b.myLevel && (
                <Text size="xs" mt={4}>
                  {b.myLevel === 'editor' ? t('list.youAreEditor') : t('list.youAreMember')}
                </Text>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}

      <Drawer opened={creating} onClose={() => setCreating(false)} position="right" size="lg" title={t('list.newBoard')}>
        {creating && (
          <BoardForm
            me={me}
            onCancel={() => setCreating(false)}
            onSaved={(b) => {
              notifications.show({ color: 'teal', message: t('list.created', { name: b.name }) });
              setCreating(false);
              navigate(`/boards/${b.id}`);
            }}
          />
        )}
      </Drawer>
    </Stack>
  );
}
