import { Stack } from '@mantine/core';
import type { Me } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { TaskList } from './TaskList';

/** Every task the user sees: through projects and boards, as assignee, or as follower. */
export function TasksPage({ me }: { me: Me }) {
  return (
    <Stack gap="md">
      <PageHeader
        title="Tasks"
        description={
          me.role.kind === 'client'
            ? 'The tasks your projects share with you.'
            : 'Every task you can see: in your projects and boards, assigned to you, or followed.'
        }
      />
      <TaskList me={me} />
    </Stack>
  );
}
