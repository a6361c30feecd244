import { Anchor, Badge, Button, Card, Center, Drawer, EmptyState, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLayoutKanban, IconLock, IconPlus, IconWorld } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { errorMessage, type Me } from '../../api/client';
import { useBoards } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { plural } from '../../lib/format';
import { can } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { BoardForm } from './BoardForm';

export function BoardsPage({ me }: { me: Me }) {
  const boards = useBoards();
  const readOnly = useReadOnly();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const canCreate = !readOnly && can(me, 'tasks.columns');
  const rows = boards.data ?? [];

  return (
    <Stack gap="md">
      <PageHeader
        title="Boards"
        description="Kanban boards: open to the whole team, or to invited people and teams only. Tasks on them still follow project access."
        actions={
          canCreate && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
              New board
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
          title="No boards yet"
          description={canCreate ? 'Create a board with the stages your work goes through.' : 'Boards you are invited to, or that are open to the team, appear here.'}
          py="xl"
        >
          {canCreate && (
            <Button mt="md" onClick={() => setCreating(true)}>
              New board
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
                  {b.visibility === 'invited' ? 'Invited only' : 'Open'}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed" mt={4}>
                {plural(b.stages.length, 'stage')}: {b.stages.map((s) => s.name).join(' → ') || '—'}
              </Text>
              {b.myLevel && (
                <Text size="xs" mt={4}>
                  You are {b.myLevel === 'editor' ? 'an editor' : 'a member'}
                </Text>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}

      <Drawer opened={creating} onClose={() => setCreating(false)} position="right" size="lg" title="New board">
        {creating && (
          <BoardForm
            me={me}
            onCancel={() => setCreating(false)}
            onSaved={(b) => {
              notifications.show({ color: 'teal', message: `${b.name} was created.` });
              setCreating(false);
              navigate(`/boards/${b.id}`);
            }}
          />
        )}
      </Drawer>
    </Stack>
  );
}
