import { Button, Divider, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type TaskRules, type User } from '../../api/client';
import { useSetTaskRules, useTaskRules } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';

/** Who may open tasks for whom: per user, in their edit drawer. */
export function TaskRulesSection({ user }: { user: User }) {
  const { t } = useTranslation('users', { keyPrefix: 'taskRules' });
  const rules = useTaskRules(user.id, user.roleKind === 'internal');
  const save = useSetTaskRules();
  const [value, setValue] = useState<TaskRules | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (rules.data) setValue(rules.data);
  }, [rules.data]);

  if (user.roleKind !== 'internal') return null;
  const changed =
    !!value && !!rules.data && (value.receiveFromOthers !== rules.data.receiveFromOthers || value.openForOthers !== rules.data.openForOthers);

  const submit = async () => {
    if (!value) return;
    setError(null);
    try {
      await save.mutateAsync({ userId: user.id, body: value });
      notifications.show({ color: 'teal', message: t('saved') });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Stack gap="xs" data-testid="task-rules">
      <Divider my="sm" />
      <Title order={3} size="h5">
        {t('title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('help')}
      </Text>
      {rules.isError && <ErrorAlert message={errorMessage(rules.error)} />}
      <ErrorAlert message={error} />
      {rules.isPending ? (
        <Loading />
      ) : (
        value && (
          <>
            <Switch
              label={t('receive')}
              checked={value.receiveFromOthers}
              onChange={(e) => setValue({ ...value, receiveFromOthers: e.currentTarget.checked })}
            />
            <Switch
              label={t('open')}
              checked={value.openForOthers}
              onChange={(e) => setValue({ ...value, openForOthers: e.currentTarget.checked })}
            />
            <Group>
              <Button variant="default" onClick={submit} disabled={!changed} loading={save.isPending}>
                {t('save')}
              </Button>
            </Group>
          </>
        )
      )}
    </Stack>
  );
}
