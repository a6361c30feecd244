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
import { useTranslation } from 'react-i18next';
import type { Board, BoardGrant, Me, Stage } from '../../api/client';
import i18n from '../../i18n';
import { usePreviewedSave, type WhatIfRequest } from '../../api/whatif';
import { useCreateBoard, useTeams, useUpdateBoard } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { applyServerError } from '../../lib/forms';
import { usePeople, userOptions } from '../../lib/people';

type StageRow = Stage & { key: string };

let stageSeq = 0;
const newKey = () => `new-${++stageSeq}`;

/** A new board's stages, named in the reader's language (names are the board's data once saved). */
export function defaultStages(): Stage[] {
  return [
    { name: i18n.t('boards:form.defaultStages.todo'), kind: 'open' },
    { name: i18n.t('boards:form.defaultStages.inProgress'), kind: 'open' },
    { name: i18n.t('boards:form.defaultStages.review'), kind: 'review' },
    { name: i18n.t('boards:form.defaultStages.done'), kind: 'done' },
  ];
}

const STAGE_KINDS: Stage['kind'][] = ['open', 'review', 'done'];

/** The same people and teams invited at the same levels, whatever their order. */
export function sameInvitations(a: BoardGrant[], b: BoardGrant[]): boolean {
  const text = (gs: BoardGrant[]) =>
    gs
      .map((g) => `${g.type}:${g.id}:${g.level}`)
      .sort()
      .join(',');
  return text(a) === text(b);
}

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
  const { t } = useTranslation('boards');
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
      stages: (board?.stages ?? defaultStages()).map((s): StageRow => ({ ...s, key: s.id ?? newKey() })),
      access: board?.access ?? ([] as BoardGrant[]),
    },
    validate: {
      name: (v) => (v.trim() ? null : t('form.nameRequired')),
      stages: (v) => (v.length === 0 ? t('form.stagesRequired') : v.some((s) => !s.name.trim()) ? t('form.stageNameRequired') : null),
    },
  });
  const v = form.values;

  const nameOf = (g: BoardGrant) =>
    g.type === 'team' ? (teams.data?.find((team) => team.id === g.id)?.name ?? t('form.aTeam')) : people.nameOf(g.id);

  const candidates = [
    {
      group: t('form.people'),
      items: userOptions(people.all, 'internal')
        .filter((o) => !v.access.some((g) => g.type === 'user' && g.id === o.value))
        .map((o) => ({ value: `user:${o.value}`, label: o.label })),
    },
    {
      group: t('form.teams'),
      items: (teams.data ?? [])
        .filter((team) => !v.access.some((g) => g.type === 'team' && g.id === team.id))
        .map((team) => ({ value: `team:${team.id}`, label: team.name })),
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

  // A saved board's visibility or invitations changed (by its editor): the what-if preview first.
  const accessChanged = !!board && !sameInvitations(v.access, board.access);
  const visibilityChanged = !!board && v.visibility !== board.visibility;
  const proposal: WhatIfRequest | null =
    board && board.actions.includes('edit') && (accessChanged || visibilityChanged)
      ? { board: { id: board.id, ...(visibilityChanged ? { visibility: v.visibility } : {}), ...(accessChanged ? { access: v.access } : {}) } }
      : null;
  const preview = usePreviewedSave(proposal);

  const submit = form.onSubmit(async (vals) => {
    setFormError(null);
    preview.start();
    const body = {
      name: vals.name.trim(),
      visibility: vals.visibility,
      stages: vals.stages.map(({ id, name, kind }) => ({ ...(id ? { id } : {}), name: name.trim(), kind })),
      access: vals.access,
    };
    try {
      onSaved(board ? await update.mutateAsync({ id: board.id, body: { ...body, ...(proposal ? preview.expect : {}) } }) : await create.mutateAsync(body));
    } catch (e) {
      if (preview.refused(e)) return;
      setFormError(applyServerError(form, e));
    }
  });

  const removedStages = (board?.stages ?? []).filter((s) => s.id && !v.stages.some((r) => r.id === s.id));

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert message={formError} />
        <TextInput label={t('form.name')} required data-autofocus={!board} {...form.getInputProps('name')} />
        <Radio.Group label={t('form.whoSees')} {...form.getInputProps('visibility')}>
          <Stack gap={6} mt={6}>
            <Radio value="all" label={t('form.allLabel')} description={t('form.allDescription')} />
            <Radio value="invited" label={t('form.invitedLabel')} description={t('form.invitedDescription')} />
          </Stack>
        </Radio.Group>

        <div>
          <Title order={3} size="h5" mb={4}>
            {t('form.stages')}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('form.stagesHelp')}
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
                  aria-label={t('form.stageName', { n: i + 1 })}
                  value={s.name}
                  onChange={(e) => form.setFieldValue(`stages.${i}.name`, e.currentTarget.value)}
                  style={{ flex: 1 }}
                />
                <Select
                  aria-label={t('form.stageKind', { n: i + 1 })}
                  data={STAGE_KINDS.map((k) => ({ value: k, label: t(`form.kinds.${k}`) }))}
                  value={s.kind}
                  allowDeselect={false}
                  onChange={(k) => form.setFieldValue(`stages.${i}.kind`, (k ?? 'open') as Stage['kind'])}
                  w={150}
                />
                <ActionIcon variant="subtle" aria-label={t('form.moveUp', { name: s.name || i + 1 })} disabled={i === 0} onClick={() => moveStage(i, -1)}>
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  aria-label={t('form.moveDown', { name: s.name || i + 1 })}
                  disabled={i === v.stages.length - 1}
                  onClick={() => moveStage(i, 1)}
                >
                  <IconArrowDown size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('form.remove', { name: s.name || i + 1 })}
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
            {t('form.addStage')}
          </Button>
          {removedStages.length > 0 && (
            <Text size="xs" c="orange" mt={4}>
              {t('form.removing', { names: removedStages.map((s) => s.name).join(', ') })}
            </Text>
          )}
        </div>

        <div>
          <Title order={3} size="h5" mb={4}>
            {t('form.invitations')}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('form.invitationsHelp')}
          </Text>
          {v.access.length > 0 && (
            <Table verticalSpacing={4} aria-label={t('form.invitations')} mb="xs">
              <Table.Tbody>
                {v.access.map((g, i) => (
                  <Table.Tr key={`${g.type}:${g.id}`}>
                    <Table.Td>
                      {nameOf(g)}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {g.type === 'team' ? t('form.team') : t('form.person')}
                      </Text>
                    </Table.Td>
                    <Table.Td w={140}>
                      <Select
                        aria-label={t('form.levelOf', { name: nameOf(g) })}
                        size="xs"
                        data={[
                          { value: 'editor', label: t('level.editor') },
                          { value: 'member', label: t('level.member') },
                        ]}
                        value={g.level}
                        allowDeselect={false}
                        onChange={(l) => form.setFieldValue(`access.${i}.level`, (l ?? 'member') as BoardGrant['level'])}
                      />
                    </Table.Td>
                    <Table.Td w={40}>
                      <Tooltip label={t('form.withdraw')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('form.withdrawOf', { name: nameOf(g) })}
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
              label={t('form.invite')}
              placeholder={t('form.invitePlaceholder')}
              data={candidates}
              value={pick}
              onChange={setPick}
              searchable
              w={240}
              nothingFoundMessage={t('form.nobodyFound')}
            />
            <Select
              label={t('form.as')}
              data={[
                { value: 'member', label: t('level.member') },
                { value: 'editor', label: t('level.editor') },
              ]}
              value={pickLevel}
              allowDeselect={false}
              onChange={(l) => setPickLevel((l ?? 'member') as 'editor' | 'member')}
              w={120}
            />
            <Button variant="default" onClick={addGrant} disabled={!pick}>
              {t('actions.add')}
            </Button>
          </Group>
        </div>

        <WhatIfPanel whatIf={preview.whatIf} stale={preview.stale} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('actions.cancel')}
            </Button>
          )}
          <Button type="submit" loading={create.isPending || update.isPending} disabled={preview.whatIf.pending}>
            {board ? t('form.save') : t('form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
