import {
  ActionIcon,
  Button,
  Group,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Board, BoardGrant, Me, Stage } from '../../api/client';
import { useCreateBoard, useTeams, useUpdateBoard } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { usePeople, userOptions } from '../../lib/people';

type StageRow = Stage & { key: string };

let stageSeq = 0;
const newKey = () => `new-${++stageSeq}`;

export const DEFAULT_STAGES: Stage[] = [
  { name: 'To do', kind: 'open' },
  { name: 'In progress', kind: 'open' },
  { name: 'Client review', kind: 'review' },
  { name: 'Done', kind: 'done' },
];

const STAGE_KINDS = [
  { value: 'open', label: 'Open' },
  { value: 'review', label: 'Client review' },
  { value: 'done', label: 'Done' },
];

/** Name, visibility, stages and invitations of a board (create, or settings for editors). */
export function BoardForm({
  board,
  me,
  onSaved,
  onCancel,
}: {
  board?: Board;
  me: Me;
  onSaved: (b: Board) => void;
  onCancel?: () => void;
}) {
  const create = useCreateBoard();
  const update = useUpdateBoard();
  const teams = useTeams();
  // Whom to invite, and the names of those invited: asked for only when the form shows.
  const people = usePeople(me);
  const [formError, setFormError] = useState<string | null>(null);
  const [pick, setPick] = useState<string | null>(null);
  const [pickLevel, setPickLevel] = useState<'editor' | 'member'>('member');
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: board?.name ?? '',
      visibility: board?.visibility ?? ('all' as 'all' | 'invited'),
      stages: (board?.stages ?? DEFAULT_STAGES).map((s): StageRow => ({ ...s, key: s.id ?? newKey() })),
      access: board?.access ?? ([] as BoardGrant[]),
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Give the board a name'),
      stages: (v) => (v.length === 0 ? 'A board needs at least one stage' : v.some((s) => !s.name.trim()) ? 'Every stage needs a name' : null),
    },
  });
  const v = form.values;

  const nameOf = (g: BoardGrant) =>
    g.type === 'team' ? (teams.data?.find((t) => t.id === g.id)?.name ?? 'A team') : people.nameOf(g.id);

  const candidates = [
    {
      group: 'People',
      items: userOptions(people.all, 'internal')
        .filter((o) => !v.access.some((g) => g.type === 'user' && g.id === o.value))
        .map((o) => ({ value: `user:${o.value}`, label: o.label })),
    },
    {
      group: 'Teams',
      items: (teams.data ?? [])
        .filter((t) => !v.access.some((g) => g.type === 'team' && g.id === t.id))
        .map((t) => ({ value: `team:${t.id}`, label: t.name })),
    },
  ].filter((g) => g.items.length > 0);

  const addGrant = () => {
    if (!pick) return;
    const [type, id] = pick.split(':') as ['user' | 'team', string];
    form.setFieldValue('access', [...v.access, { type, id, level: pickLevel }]);
    setPick(null);
  };

  const moveStage = (i: number, d: -1 | 1) => {
    const s = [...v.stages];
    const j = i + d;
    if (j < 0 || j >= s.length) return;
    [s[i], s[j]] = [s[j], s[i]];
    form.setFieldValue('stages', s);
  };

  const submit = form.onSubmit(async (vals) => {
    setFormError(null);
    const body = {
      name: vals.name.trim(),
      visibility: vals.visibility,
      stages: vals.stages.map(({ id, name, kind }) => ({ ...(id ? { id } : {}), name: name.trim(), kind })),
      access: vals.access,
    };
    try {
      onSaved(board ? await update.mutateAsync({ id: board.id, body }) : await create.mutateAsync(body));
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });

  const removedStages = (board?.stages ?? []).filter((s) => s.id && !v.stages.some((r) => r.id === s.id));

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert message={formError} />
        <TextInput label="Name" required data-autofocus={!board} {...form.getInputProps('name')} />
        <Radio.Group label="Who sees this board" {...form.getInputProps('visibility')}>
          <Stack gap={6} mt={6}>
            <Radio value="all" label="Everyone on the team" description="Every internal user sees the board (tasks still follow project access)." />
            <Radio value="invited" label="Invited only" description="Only the people and teams invited below, and roles that see all projects (who still need an invitation to assign its tasks)." />
          </Stack>
        </Radio.Group>

        <div>
          <Title order={3} size="h5" mb={4}>
            Stages
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            The Kanban columns, left to right. Tasks in a client review stage wait for the client to approve them.
          </Text>
          {form.errors.stages && (
            <Text c="red" size="sm" mb="xs" role="alert">
              {form.errors.stages}
            </Text>
          )}
          <Stack gap={6}>
            {v.stages.map((s, i) => (
              <Group key={s.key} gap={6} wrap="nowrap">
                <TextInput
                  aria-label={`Stage ${i + 1} name`}
                  value={s.name}
                  onChange={(e) => form.setFieldValue(`stages.${i}.name`, e.currentTarget.value)}
                  style={{ flex: 1 }}
                />
                <Select
                  aria-label={`Stage ${i + 1} kind`}
                  data={STAGE_KINDS}
                  value={s.kind}
                  allowDeselect={false}
                  onChange={(k) => form.setFieldValue(`stages.${i}.kind`, (k ?? 'open') as Stage['kind'])}
                  w={150}
                />
                <ActionIcon variant="subtle" aria-label={`Move stage ${s.name || i + 1} up`} disabled={i === 0} onClick={() => moveStage(i, -1)}>
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  aria-label={`Move stage ${s.name || i + 1} down`}
                  disabled={i === v.stages.length - 1}
                  onClick={() => moveStage(i, 1)}
                >
                  <IconArrowDown size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove stage ${s.name || i + 1}`}
                  onClick={() => form.setFieldValue('stages', v.stages.filter((_, j) => j !== i))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
          <Button
            mt="xs"
            variant="subtle"
            size="compact-sm"
            leftSection={<IconPlus size={14} />}
            onClick={() => form.setFieldValue('stages', [...v.stages, { key: newKey(), name: '', kind: 'open' }])}
          >
            Add stage
          </Button>
          {removedStages.length > 0 && (
            <Text size="xs" c="orange" mt={4}>
              Removing {removedStages.map((s) => s.name).join(', ')}: their tasks stay on the board without a stage.
            </Text>
          )}
        </div>

        <div>
          <Title order={3} size="h5" mb={4}>
            Invitations
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            Editors change the board, its stages and invitations, delete it and move tasks between boards. Members view it, move
            tasks between stages and create tasks.
          </Text>
          {v.access.length > 0 && (
            <Table verticalSpacing={4} aria-label="Invitations" mb="xs">
              <Table.Tbody>
                {v.access.map((g, i) => (
                  <Table.Tr key={`${g.type}:${g.id}`}>
                    <Table.Td>
                      {nameOf(g)}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({g.type === 'team' ? 'team' : 'person'})
                      </Text>
                    </Table.Td>
                    <Table.Td w={140}>
                      <Select
                        aria-label={`Level of ${nameOf(g)}`}
                        size="xs"
                        data={[
                          { value: 'editor', label: 'Editor' },
                          { value: 'member', label: 'Member' },
                        ]}
                        value={g.level}
                        allowDeselect={false}
                        onChange={(l) => form.setFieldValue(`access.${i}.level`, (l ?? 'member') as BoardGrant['level'])}
                      />
                    </Table.Td>
                    <Table.Td w={40}>
                      <Tooltip label="Withdraw invitation">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Withdraw invitation of ${nameOf(g)}`}
                          onClick={() => form.setFieldValue('access', v.access.filter((_, j) => j !== i))}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group align="flex-end" gap="xs">
            <Select
              label="Invite"
              placeholder="A person or a team"
              data={candidates}
              value={pick}
              onChange={setPick}
              searchable
              w={240}
              nothingFoundMessage="Nobody found"
            />
            <Select
              label="As"
              data={[
                { value: 'member', label: 'Member' },
                { value: 'editor', label: 'Editor' },
              ]}
              value={pickLevel}
              allowDeselect={false}
              onChange={(l) => setPickLevel((l ?? 'member') as 'editor' | 'member')}
              w={120}
            />
            <Button variant="default" onClick={addGrant} disabled={!pick}>
              Add
            </Button>
          </Group>
        </div>

        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={create.isPending || update.isPending}>
            {board ? 'Save board' : 'Create board'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
