import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { TaskList } from './TaskList';

/** Every task the user sees: through projects and boards, as assignee, or as follower. */
export function TasksPage({ me }: { me: Me }) {
  const { t } = useTranslation('tasks');
  return (
    <Stack gap="md">
      <PageHeader
        title={t('tasksPage.title')}
        description={
          me.role.kind === 'client' ? t('tasksPage.descriptionClient') : t('tasksPage.description')
        }
      />
      <TaskList me={me} />
    </Stack>
  );
}
