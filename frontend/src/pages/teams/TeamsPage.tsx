import {
  ActionIcon,
  Badge,
  Button,
  Center,
  Drawer,
  EmptyState,
  Group,
  Loader,
  MultiSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { errorMessage, type Me, type Team } from '../../api/client';
import { useCreateTeam, useDeleteTeam, useTeams, useUpdateTeam } from '../../api/work';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { applyServerError } from '../../lib/forms';
import { usePeople, userOptions, type People } from '../../lib/people';
import { allows, useReadOnly } from '../../lib/readOnly';

type DrawerState = { mode: 'create' } | { mode: 'edit'; team: Team } | null;

export function TeamsPage({ me }: { me: Me }) {
  const readOnly = useReadOnly();
  const teams = useTeams();
  const people = usePeople(me);
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const canCreate = !readOnly && me.permissions.some((p) => p.key === 'teams.manage' && p.scope === 'all');
  const rows = teams.data ?? [];

  return (
    <Stack gap="md">
      <PageHeader
        title="Teams"
        description="A team can be put on a project or invited to a board: everyone in it gains that access, and loses it on leaving."
        actions={
          canCreate && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setDrawer({ mode: 'create' })}>
              New team
            </Button>
          )
        }
      />
      {teams.isError && <ErrorAlert message={errorMessage(teams.error)} />}
      {teams.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconUsersGroup size={28} />}
          withIndicatorBackground
          title="No teams yet"
          description={canCreate ? 'Group people who work together, then add the team to projects and boards.' : 'Teams will be listed here.'}
          py="xl"
        >
          {canCreate && (
            <Button mt="md" onClick={() => setDrawer({ mode: 'create' })}>
              New team
            </Button>
          )}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm" aria-label="Teams">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Team</Table.Th>
                <Table.Th>Members</Table.Th>
                <Table.Th>Leaders</Table.Th>
                <Table.Th w={90} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Text fw={500}>{t.name}</Text>
                    {t.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {t.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {t.members.map(people.nameOf).join(', ') || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {t.leaders.length === 0 && (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                      {t.leaders.map((id) => (
                        <Badge key={id} variant="light" tt="none" color="indigo">
                          {people.nameOf(id)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {allows(t.actions, 'edit', readOnly) && (
                        <Tooltip label="Edit">
                          <ActionIcon variant="subtle" aria-label={`Edit ${t.name}`} onClick={() => setDrawer({ mode: 'edit', team: t })}>
                            <IconPencil size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      {allows(t.actions, 'delete', readOnly) && (
                        <Tooltip label="Delete">
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete ${t.name}`} onClick={() => setDeleting(t)}>
                            <IconTrash size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <Drawer
        opened={drawer !== null}
        onClose={() => setDrawer(null)}
        position="right"
        size="md"
        title={drawer?.mode === 'edit' ? `Edit ${drawer.team.name}` : 'New team'}
      >
        {drawer && (
          <TeamForm
            key={drawer.mode === 'edit' ? drawer.team.id : 'new'}
            team={drawer.mode === 'edit' ? drawer.team : undefined}
            people={people}
            onCancel={() => setDrawer(null)}
            onSaved={(t) => {
              notifications.show({ color: 'teal', message: drawer.mode === 'create' ? `${t.name} was created.` : 'Changes saved.' });
              setDrawer(null);
            }}
          />
        )}
      </Drawer>
      <DeleteTeamModal team={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

function TeamForm({ team, people, onSaved, onCancel }: { team?: Team; people: People; onSaved: (t: Team) => void; onCancel: () => void }) {
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: team?.name ?? '',
      description: team?.description ?? '',
      members: team?.members ?? [],
      leaders: team?.leaders ?? [],
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Give the team a name'),
      leaders: (v, values) => (v.every((l) => values.members.includes(l)) ? null : 'Leaders must be members of the team'),
    },
  });
  // The server says whom this person may add (a team leader: only people whose role
  // oversees nothing beyond theirs); current members stay listed so they can be removed.
  const offered = team?.candidates ? people.all.filter((u) => team.candidates!.includes(u.id) || team.members.includes(u.id)) : people.all;
  const memberOptions = userOptions(offered, 'internal', team?.members ?? []);
  const labelOf = (id: string) => memberOptions.find((o) => o.value === id)?.label ?? people.nameOf(id);

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    const body = { name: v.name.trim(), description: v.description.trim(), members: v.members, leaders: v.leaders };
    try {
      onSaved(team ? await update.mutateAsync({ id: team.id, body }) : await create.mutateAsync(body));
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert message={formError} />
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
        <MultiSelect
          label="Members"
          data={memberOptions}
          searchable
          clearable
          nothingFoundMessage="Nobody found"
          {...form.getInputProps('members')}
          onChange={(members) => {
            form.setFieldValue('members', members);
            // A leader who leaves the team stops leading it.
            form.setFieldValue(
              'leaders',
              form.getValues().leaders.filter((l) => members.includes(l)),
            );
          }}
        />
        <MultiSelect
          label="Leaders"
          description="Leaders are members who manage the team (with the Manage teams permission at team scope)."
          data={form.values.members.map((id) => ({ value: id, label: labelOf(id) }))}
          placeholder={form.values.members.length ? 'Choose leaders' : 'Add members first'}
          disabled={form.values.members.length === 0}
          clearable
          {...form.getInputProps('leaders')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {team ? 'Save changes' : 'Create team'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteTeamModal({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const del = useDeleteTeam();
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Team | null>(team);
  useEffect(() => {
    if (team) {
      setShown(team);
      setError(null);
    }
  }, [team]);
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
      opened={team !== null}
      title={`Delete ${shown?.name}?`}
      confirmLabel="Delete team"
      onClose={onClose}
      onConfirm={confirm}
      loading={del.isPending}
      error={error}
    >
      <Text size="sm">
        Its {shown?.members.length ?? 0} members lose every project and board access the team gave them, at once. Their own
        memberships stay.
      </Text>
      <Text size="sm">The team&apos;s chat channel and its messages are deleted with it.</Text>
    </ConfirmModal>
  );
}
