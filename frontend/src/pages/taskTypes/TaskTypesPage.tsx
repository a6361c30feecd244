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
import { errorMessage, type Me, type TaskType, type TypeGrant } from '../../api/client';
import { useCreateTaskType, useDeleteTaskType, useTaskTypes, useTeams, useUpdateTaskType } from '../../api/work';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { applyServerError } from '../../lib/forms';
import { usePeople, userOptions, type People } from '../../lib/people';
import { useReadOnly } from '../../lib/readOnly';

type DrawerState = { mode: 'create' } | { mode: 'edit'; type: TaskType } | null;

function grantSummary(g: TypeGrant): string {
  if (g.create && g.assign) return 'create and assign';
  if (g.create) return 'create';
  if (g.assign) return 'assign';
  return 'nothing';
}

export function TaskTypesPage({ me }: { me: Me }) {
  const readOnly = useReadOnly();
  const types = useTaskTypes();
  const teams = useTeams();
  const people = usePeople(me);
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [deleting, setDeleting] = useState<TaskType | null>(null);
  const rows = types.data?.items ?? [];
  const principalName = (g: { type: string; id: string }) =>
    g.type === 'team' ? (teams.data?.find((t) => t.id === g.id)?.name ?? 'A team') : people.nameOf(g.id);

  return (
    <Stack gap="md">
      <PageHeader
        title="Task types"
        description="Who may create or assign tasks of each type. This does not hide tasks: visibility still comes from projects and boards."
        actions={
          !readOnly && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setDrawer({ mode: 'create' })}>
              New task type
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
        <EmptyState icon={<IconTags size={28} />} withIndicatorBackground title="No task types yet" description="Types such as Design, Bug or Copy let you say who may open and take such tasks." py="xl" />
      ) : (
        <Table striped verticalSpacing="sm" aria-label="Task types">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Type</Table.Th>
              <Table.Th>Authorised</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td fw={500}>{t.name}</Table.Td>
                <Table.Td>
                  {t.access.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      Everyone whose role allows
                    </Text>
                  ) : (
                    <Group gap={4}>
                      {t.access.map((g) => (
                        <Badge key={`${g.type}:${g.id}`} variant="light" tt="none" color={g.type === 'team' ? 'cyan' : 'blue'}>
                          {principalName(g)}: {grantSummary(g)}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  {!readOnly && (
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" aria-label={`Edit ${t.name}`} onClick={() => setDrawer({ mode: 'edit', type: t })}>
                          <IconPencil size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Delete">
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${t.name}`} onClick={() => setDeleting(t)}>
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
        title={drawer?.mode === 'edit' ? `Edit ${drawer.type.name}` : 'New task type'}
      >
        {drawer && (
          <TaskTypeForm
            key={drawer.mode === 'edit' ? drawer.type.id : 'new'}
            type={drawer.mode === 'edit' ? drawer.type : undefined}
            people={people}
            teams={(teams.data ?? []).map((t) => ({ id: t.id, name: t.name }))}
            principalName={principalName}
            onCancel={() => setDrawer(null)}
            onSaved={(t) => {
              notifications.show({ color: 'teal', message: drawer.mode === 'create' ? `${t.name} was created.` : 'Changes saved.' });
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
  const create = useCreateTaskType();
  const update = useUpdateTaskType();
  const [formError, setFormError] = useState<string | null>(null);
  const [pick, setPick] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: type?.name ?? '', access: type?.access ?? ([] as TypeGrant[]) },
    validate: { name: (v) => (v.trim() ? null : 'Give the type a name') },
  });
  const v = form.values;
  const candidates = [
    {
      group: 'People',
      items: userOptions(people.all, 'internal')
        .filter((o) => !v.access.some((g) => g.type === 'user' && g.id === o.value))
        .map((o) => ({ value: `user:${o.value}`, label: o.label })),
    },
    {
      group: 'Teams',
      items: teams.filter((t) => !v.access.some((g) => g.type === 'team' && g.id === t.id)).map((t) => ({ value: `team:${t.id}`, label: t.name })),
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
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <div>
          <Title order={3} size="h5" mb={4}>
            Authorisations
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            With nobody listed, everyone whose role allows may create and assign tasks of this type. Once someone is listed,
            only those listed may.
          </Text>
          {v.access.length > 0 && (
            <Table verticalSpacing={4} aria-label="Authorisations" mb="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Create</Table.Th>
                  <Table.Th>Assign</Table.Th>
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
                        ({g.type === 'team' ? 'team' : 'person'})
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Checkbox
                        aria-label={`${principalName(g)} may create`}
                        checked={g.create}
                        onChange={(e) => form.setFieldValue(`access.${i}.create`, e.currentTarget.checked)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Checkbox
                        aria-label={`${principalName(g)} may assign`}
                        checked={g.assign}
                        onChange={(e) => form.setFieldValue(`access.${i}.assign`, e.currentTarget.checked)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${principalName(g)}`}
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
            <Select label="Authorise" placeholder="A person or a team" data={candidates} value={pick} onChange={setPick} searchable w={260} />
            <Button
              variant="default"
              disabled={!pick}
              onClick={() => {
                if (!pick) return;
                const [t, id] = pick.split(':') as ['user' | 'team', string];
                form.setFieldValue('access', [...v.access, { type: t, id, create: true, assign: true }]);
                setPick(null);
              }}
            >
              Add
            </Button>
          </Group>
        </div>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {type ? 'Save changes' : 'Create type'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteTypeModal({ type, onClose }: { type: TaskType | null; onClose: () => void }) {
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
      notifications.show({ color: 'teal', message: `${shown.name} was deleted.` });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <ConfirmModal
      opened={type !== null}
      title={`Delete ${shown?.name}?`}
      confirmLabel="Delete type"
      onClose={onClose}
      onConfirm={confirm}
      loading={del.isPending}
      error={error}
    >
      <Text size="sm">Tasks of this type keep existing, without a type.</Text>
    </ConfirmModal>
  );
}
