import {
  ActionIcon,
  Badge,
  Button,
  Center,
  Checkbox,
  Drawer,
  EmptyState,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconTags, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me, type TaskType, type TypeGrant } from '../../api/client';
import { useCreateTaskType, useDeleteTaskType, useTaskTypes, useTeams, useUpdateTaskType } from '../../api/work';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { applyServerError } from '../../lib/forms';
import { usePeople, userOptions, type People } from '../../lib/people';
import i18n from '../../i18n';
import { useReadOnly } from '../../lib/readOnly';

type DrawerState = { mode: 'create' } | { mode: 'edit'; type: TaskType } | null;

function grantSummary(g: TypeGrant): string {
  if (g.create && g.assign) return i18n.t('taskTypes:grant.createAndAssign');
  if (g.create) return i18n.t('taskTypes:grant.create');
  if (g.assign) return i18n.t('taskTypes:grant.assign');
  return i18n.t('taskTypes:grant.nothing');
}

export function TaskTypesPage({ me }: { me: Me }) {
  const { t } = useTranslation('taskTypes');
  const readOnly = useReadOnly();
  const types = useTaskTypes();
  const teams = useTeams();
  const people = usePeople(me);
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [deleting, setDeleting] = useState<TaskType | null>(null);
  const rows = types.data?.items ?? [];
  const principalName = (g: { type: string; id: string }) =>
    g.type === 'team' ? (teams.data?.find((tm) => tm.id === g.id)?.name ?? t('aTeam')) : people.nameOf(g.id);

  return (
    <Stack gap="md">
      <PageHeader
        title={t('title')}
        description={t('intro')}
        actions={
          !readOnly && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setDrawer({ mode: 'create' })}>
              {t('new')}
            </Button>
          )
        }
      />
      {types.isError && <ErrorAlert message={errorMessage(types.error)} />}
      {types.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <EmptyState icon={<IconTags size={28} />} withIndicatorBackground title={t('empty.title')} description={t('empty.description')} py="xl" />
      ) : (
        <Table striped verticalSpacing="sm" aria-label={t('title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('columns.type')}</Table.Th>
              <Table.Th>{t('columns.authorised')}</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((tt) => (
              <Table.Tr key={tt.id}>
                <Table.Td fw={500}>{tt.name}</Table.Td>
                <Table.Td>
                  {tt.access.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('everyone')}
                    </Text>
                  ) : (
                    <Group gap={4}>
                      {tt.access.map((g) => (
                        <Badge key={`${g.type}:${g.id}`} variant="light" tt="none" color={g.type === 'team' ? 'cyan' : 'blue'}>
                          {t('grantBadge', { who: principalName(g), what: grantSummary(g) })}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  {!readOnly && (
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Tooltip label={t('edit')}>
                        <ActionIcon variant="subtle" aria-label={t('editName', { name: tt.name })} onClick={() => setDrawer({ mode: 'edit', type: tt })}>
                          <IconPencil size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={t('delete')}>
                        <ActionIcon variant="subtle" color="red" aria-label={t('deleteName', { name: tt.name })} onClick={() => setDeleting(tt)}>
                          <IconTrash size={18} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Drawer
        opened={drawer !== null}
        onClose={() => setDrawer(null)}
        position="right"
        size="lg"
        title={drawer?.mode === 'edit' ? t('editName', { name: drawer.type.name }) : t('new')}
      >
        {drawer && (
          <TaskTypeForm
            key={drawer.mode === 'edit' ? drawer.type.id : 'new'}
            type={drawer.mode === 'edit' ? drawer.type : undefined}
            people={people}
            teams={(teams.data ?? []).map((tm) => ({ id: tm.id, name: tm.name }))}
            principalName={principalName}
            onCancel={() => setDrawer(null)}
            onSaved={(saved) => {
              notifications.show({ color: 'teal', message: drawer.mode === 'create' ? t('created', { name: saved.name }) : t('saved') });
              setDrawer(null);
            }}
          />
        )}
      </Drawer>
      <DeleteTypeModal type={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

function TaskTypeForm({
  type,
  people,
  teams,
  principalName,
  onSaved,
  onCancel,
}: {
  type?: TaskType;
  people: People;
  teams: { id: string; name: string }[];
  principalName: (g: { type: string; id: string }) => string;
  onSaved: (t: TaskType) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('taskTypes');
  const create = useCreateTaskType();
  const update = useUpdateTaskType();
  const [formError, setFormError] = useState<string | null>(null);
  const [pick, setPick] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: type?.name ?? '', access: type?.access ?? ([] as TypeGrant[]) },
    validate: { name: (v) => (v.trim() ? null : t('form.nameRequired')) },
  });
  const v = form.values;
  const candidates = [
    {
      group: t('form.people'),
      items: userOptions(people.all, 'internal')
        .filter((o) => !v.access.some((g) => g.type === 'user' && g.id === o.value))
        .map((o) => ({ value: `user:${o.value}`, label: o.label })),
    },
    {
      group: t('form.teams'),
      items: teams.filter((tm) => !v.access.some((g) => g.type === 'team' && g.id === tm.id)).map((tm) => ({ value: `team:${tm.id}`, label: tm.name })),
    },
  ].filter((g) => g.items.length > 0);

  const submit = form.onSubmit(async (vals) => {
    setFormError(null);
    const body = { name: vals.name.trim(), access: vals.access };
    try {
      onSaved(type ? await update.mutateAsync({ id: type.id, body }) : await create.mutateAsync(body));
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert message={formError} />
        <TextInput label={t('form.name')} required data-autofocus {...form.getInputProps('name')} />
        <div>
          <Title order={3} size="h5" mb={4}>
            {t('form.authorisations')}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('form.authorisationsHint')}
          </Text>
          {v.access.length > 0 && (
            <Table verticalSpacing={4} aria-label={t('form.authorisations')} mb="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('form.who')}</Table.Th>
                  <Table.Th>{t('form.create')}</Table.Th>
                  <Table.Th>{t('form.assign')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {v.access.map((g, i) => (
                  <Table.Tr key={`${g.type}:${g.id}`}>
                    <Table.Td>
                      {principalName(g)}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({g.type === 'team' ? t('form.team') : t('form.person')})
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Checkbox
                        aria-label={t('form.mayCreate', { who: principalName(g) })}
                        checked={g.create}
                        onChange={(e) => form.setFieldValue(`access.${i}.create`, e.currentTarget.checked)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Checkbox
                        aria-label={t('form.mayAssign', { who: principalName(g) })}
                        checked={g.assign}
                        onChange={(e) => form.setFieldValue(`access.${i}.assign`, e.currentTarget.checked)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('form.remove', { who: principalName(g) })}
                        onClick={() => form.setFieldValue('access', v.access.filter((_, j) => j !== i))}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group align="flex-end" gap="xs">
            <Select label={t('form.authorise')} placeholder={t('form.authorisePlaceholder')} data={candidates} value={pick} onChange={setPick} searchable w={260} />
            <Button
              variant="default"
              disabled={!pick}
              onClick={() => {
                if (!pick) return;
                const [kind, id] = pick.split(':') as ['user' | 'team', string];
                form.setFieldValue('access', [...v.access, { type: kind, id, create: true, assign: true }]);
                setPick(null);
              }}
            >
              {t('form.add')}
            </Button>
          </Group>
        </div>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {type ? t('form.save') : t('form.createType')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteTypeModal({ type, onClose }: { type: TaskType | null; onClose: () => void }) {
  const { t } = useTranslation('taskTypes');
  const del = useDeleteTaskType();
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<TaskType | null>(type);
  useEffect(() => {
    if (type) {
      setShown(type);
      setError(null);
    }
  }, [type]);
  const confirm = async () => {
    if (!shown) return;
    try {
      await del.mutateAsync(shown.id);
      notifications.show({ color: 'teal', message: t('deleted', { name: shown.name }) });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <ConfirmModal
      opened={type !== null}
      title={t('deleteConfirm.title', { name: shown?.name ?? '' })}
      confirmLabel={t('deleteConfirm.confirm')}
      onClose={onClose}
      onConfirm={confirm}
      loading={del.isPending}
      error={error}
    >
      <Text size="sm">{t('deleteConfirm.body')}</Text>
    </ConfirmModal>
  );
}
