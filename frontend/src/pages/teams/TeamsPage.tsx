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
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me, type Team } from '../../api/client';
import { sameIds, usePreviewedSave } from '../../api/whatif';
import { useCreateTeam, useDeleteTeam, useTeams, useUpdateTeam } from '../../api/work';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { applyServerError } from '../../lib/forms';
import { usePeople, userOptions, type People } from '../../lib/people';
import { allows, useReadOnly } from '../../lib/readOnly';

type DrawerState = { mode: 'create' } | { mode: 'edit'; team: Team } | null;

export function TeamsPage({ me }: { me: Me }) {
  const { t } = useTranslation('teams', { keyPrefix: 'page' });
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
        title={t('title')}
        description={t('description')}
        actions={
          canCreate && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setDrawer({ mode: 'create' })}>
              {t('newTeam')}
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
          title={t('noneYet')}
          description={canCreate ? t('noneYetCanCreate') : t('listedHere')}
          py="xl"
        >
          {canCreate && (
            <Button mt="md" onClick={() => setDrawer({ mode: 'create' })}>
              {t('newTeam')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="sm" aria-label={t('tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('team')}</Table.Th>
                <Table.Th>{t('members')}</Table.Th>
                <Table.Th>{t('leaders')}</Table.Th>
                <Table.Th w={90} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((team) => (
                <Table.Tr key={team.id}>
                  <Table.Td>
                    <Text fw={500}>{team.name}</Text>
                    {team.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {team.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {team.members.map(people.nameOf).join(', ') || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {team.leaders.length === 0 && (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                      {team.leaders.map((id) => (
                        <Badge key={id} variant="light" tt="none" color="indigo">
                          {people.nameOf(id)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {allows(team.actions, 'edit', readOnly) && (
                        <Tooltip label={t('edit')}>
                          <ActionIcon variant="subtle" aria-label={t('editLabel', { name: team.name })} onClick={() => setDrawer({ mode: 'edit', team })}>
                            <IconPencil size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      {allows(team.actions, 'delete', readOnly) && (
                        <Tooltip label={t('delete')}>
                          <ActionIcon variant="subtle" color="red" aria-label={t('deleteLabel', { name: team.name })} onClick={() => setDeleting(team)}>
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
        title={drawer?.mode === 'edit' ? t('editTitle', { name: drawer.team.name }) : t('newTeam')}
      >
        {drawer && (
          <TeamForm
            key={drawer.mode === 'edit' ? drawer.team.id : 'new'}
            team={drawer.mode === 'edit' ? drawer.team : undefined}
            people={people}
            onCancel={() => setDrawer(null)}
            onSaved={(saved) => {
              notifications.show({ color: 'teal', message: drawer.mode === 'create' ? t('created', { name: saved.name }) : t('saved') });
              setDrawer(null);
            }}
          />
        )}
      </Drawer>
      <DeleteTeamModal team={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

function TeamForm({ team, people, onSaved, onCancel }: { team?: Team; people: People; onSaved: (team: Team) => void; onCancel: () => void }) {
  const { t } = useTranslation('teams', { keyPrefix: 'form' });
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
      name: (v) => (v.trim() ? null : t('nameRequired')),
      leaders: (v, values) => (v.every((l) => values.members.includes(l)) ? null : t('leadersMembers')),
    },
  });
  // The server says whom this person may add (a team leader: only people whose role
  // oversees nothing beyond theirs); current members stay listed so they can be removed.
  const offered = team?.candidates ? people.all.filter((u) => team.candidates!.includes(u.id) || team.members.includes(u.id)) : people.all;
  const memberOptions = userOptions(offered, 'internal', team?.members ?? []);
  const labelOf = (id: string) => memberOptions.find((o) => o.value === id)?.label ?? people.nameOf(id);

  // A saved team's members or leaders changed (by one who may): its what-if preview first.
  const { members, leaders } = form.values;
  const peopleChanged = !!team && team.actions.includes('edit') && (!sameIds(members, team.members) || !sameIds(leaders, team.leaders));
  const preview = usePreviewedSave(peopleChanged ? { team: { id: team.id, members, leaders } } : null);

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    preview.start();
    const body = { name: v.name.trim(), description: v.description.trim(), members: v.members, leaders: v.leaders };
    try {
      onSaved(
        team ? await update.mutateAsync({ id: team.id, body: { ...body, ...(peopleChanged ? preview.expect : {}) } }) : await create.mutateAsync(body),
      );
    } catch (e) {
      if (preview.refused(e)) return;
      setFormError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert message={formError} />
        <TextInput label={t('name')} required data-autofocus {...form.getInputProps('name')} />
        <Textarea label={t('description')} autosize minRows={2} {...form.getInputProps('description')} />
        <MultiSelect
          label={t('members')}
          data={memberOptions}
          searchable
          clearable
          nothingFoundMessage={t('nothingFound')}
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
          label={t('leaders')}
          description={t('leadersHelp')}
          data={form.values.members.map((id) => ({ value: id, label: labelOf(id) }))}
          placeholder={form.values.members.length ? t('chooseLeaders') : t('addMembersFirst')}
          disabled={form.values.members.length === 0}
          clearable
          {...form.getInputProps('leaders')}
        />
        <WhatIfPanel whatIf={preview.whatIf} stale={preview.stale} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending} disabled={preview.whatIf.pending}>
            {team ? t('save') : t('create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteTeamModal({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const { t } = useTranslation('teams', { keyPrefix: 'delete' });
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
      notifications.show({ color: 'teal', message: t('deleted', { name: shown.name }) });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <ConfirmModal
      opened={team !== null}
      title={t('title', { name: shown?.name ?? '' })}
      confirmLabel={t('confirm')}
      onClose={onClose}
      onConfirm={confirm}
      loading={del.isPending}
      error={error}
    >
      <Text size="sm">{t('members', { count: shown?.members.length ?? 0 })}</Text>
      <Text size="sm">{t('chat')}</Text>
    </ConfirmModal>
  );
}
