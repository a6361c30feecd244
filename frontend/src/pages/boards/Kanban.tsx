import { ActionIcon, Badge, Box, Group, Menu, Paper, ScrollArea, Stack, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconArrowsMove, IconPlus, IconUser } from '@tabler/icons-react';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Board, Stage, Task } from '../../api/client';
import { formatDay } from '../../lib/format';

const DRAG_TYPE = 'application/x-gatehouse-task';

export type KanbanProps = {
  board: Board;
  tasks: Task[];
  /** Whether the actor may move this task (its `actions` include status, and not read-only). */
  canMove: (t: Task) => boolean;
  onMove: (t: Task, stageId: string) => void;
  onOpen: (t: Task) => void;
  /** When given, each column offers "new task here". */
  onCreate?: (stageId: string) => void;
  projectName: (id: string) => string;
};

const KIND_COLOR: Record<Stage['kind'], string> = { open: 'blue', review: 'grape', done: 'teal' };

/**
 * Columns are the board's stages, cards its visible tasks. A card moves by drag and drop
 * (native HTML5) or by its "Move to…" menu (keyboard); the caller sends the change and
 * puts the card back if the server refuses.
 */
export function Kanban({ board, tasks, canMove, onMove, onOpen, onCreate, projectName }: KanbanProps) {
  const { t } = useTranslation('boards');
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const stageIds = new Set(board.stages.map((s) => s.id));
  const unstaged = tasks.filter((t) => !stageIds.has(t.stageId));
  const columns: { id: string; name: string; kind: Stage['kind'] | 'none' }[] = [
    ...board.stages.filter((s) => s.id).map((s) => ({ id: s.id!, name: s.name, kind: s.kind })),
    ...(unstaged.length > 0 ? [{ id: '', name: t('kanban.noStage'), kind: 'none' as const }] : []),
  ];

  const drop = (e: DragEvent, stageId: string) => {
    e.preventDefault();
    const id = dragging ?? e.dataTransfer?.getData(DRAG_TYPE) ?? e.dataTransfer?.getData('text/plain');
    setDragging(null);
    setOver(null);
    const task = tasks.find((x) => x.id === id);
    if (task && task.stageId !== stageId && stageId && canMove(task)) onMove(task, stageId);
  };

  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Group align="flex-start" wrap="nowrap" gap="md" pb="sm" role="list" aria-label={t('kanban.stagesOf', { name: board.name })}>
        {columns.map((col) => {
          const cards = col.id ? tasks.filter((task) => task.stageId === col.id) : unstaged;
          const droppable = !!col.id;
          // The kind is said only when the stage's name does not say it already.
          const kindLabel = col.kind === 'review' || col.kind === 'done' ? t(`kanban.kind.${col.kind}`) : '';
          const showKind = !!kindLabel && !col.name.toLowerCase().includes(kindLabel);
          return (
            <Paper
              key={col.id || 'none'}
              role="listitem"
              aria-label={col.name}
              data-testid={`column-${col.id || 'none'}`}
              withBorder
              radius="md"
              p="sm"
              // Columns share the width (four fit beside the navbar at 1280 px); past
              // that, the board scrolls sideways.
              style={{ flex: '1 1 0', minWidth: 230, maxWidth: 360 }}
              bg={over === col.id && droppable ? 'var(--mantine-color-blue-light)' : 'var(--mantine-color-gray-light)'}
              onDragOver={(e) => {
                if (!droppable || !dragging) return;
                e.preventDefault();
                if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
                if (over !== col.id) setOver(col.id);
              }}
              onDragLeave={() => over === col.id && setOver(null)}
              onDrop={(e) => droppable && drop(e, col.id)}
            >
              <Group justify="space-between" mb="xs" wrap="nowrap">
                <Group gap={6} wrap="nowrap" miw={0}>
                  <Title order={3} size="h6" lineClamp={1} title={col.name}>
                    {col.name}
                  </Title>
                  <Badge size="sm" variant="light" color="gray" circle>
                    {cards.length}
                  </Badge>
                  {showKind && col.kind !== 'none' && (
                    <Badge size="xs" variant="light" color={KIND_COLOR[col.kind]} tt="none">
                      {kindLabel}
                    </Badge>
                  )}
                </Group>
                {onCreate && col.id && (
                  <Tooltip label={t('kanban.newTaskIn', { stage: col.name })}>
                    <ActionIcon variant="subtle" size="sm" aria-label={t('kanban.newTaskIn', { stage: col.name })} onClick={() => onCreate(col.id)}>
                      <IconPlus size={16} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
              <Stack gap="xs" mih={60}>
                {cards.map((task) => (
                  <KanbanCard
                    key={task.id}
                    task={task}
                    board={board}
                    movable={canMove(task)}
                    dragging={dragging === task.id}
                    onDragStart={(e) => {
                      setDragging(task.id);
                      if (e.dataTransfer) {
                        e.dataTransfer.effectAllowed = 'move';
                        e.dataTransfer.setData(DRAG_TYPE, task.id);
                        e.dataTransfer.setData('text/plain', task.id);
                      }
                    }}
                    onDragEnd={() => {
                      setDragging(null);
                      setOver(null);
                    }}
                    onMove={(stageId) => onMove(task, stageId)}
                    onOpen={() => onOpen(task)}
                    projectName={projectName}
                  />
                ))}
              </Stack>
            </Paper>
          );
        })}
      </Group>
    </ScrollArea>
  );
}

function KanbanCard({
  task,
  board,
  movable,
  dragging,
  onDragStart,
  onDragEnd,
  onMove,
  onOpen,
  projectName,
}: {
  task: Task;
  board: Board;
  movable: boolean;
  dragging: boolean;
  onDragStart: (e: DragEvent) => void;
  onDragEnd: () => void;
  onMove: (stageId: string) => void;
  onOpen: () => void;
  projectName: (id: string) => string;
}) {
  const { t } = useTranslation('boards');
  const targets = board.stages.filter((s) => s.id && s.id !== task.stageId);
  return (
    <Paper
      withBorder
      radius="sm"
      p="xs"
      shadow={dragging ? 'md' : 'xs'}
      opacity={dragging ? 0.5 : 1}
      draggable={movable}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      data-testid={`card-${task.id}`}
      style={{ cursor: movable ? 'grab' : 'default' }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap={4}>
        <Box style={{ minWidth: 0 }}>
          <Text
            component="button"
            type="button"
            onClick={onOpen}
            size="sm"
            fw={500}
            ta="left"
            style={{ background: 'none', border: 0, padding: 0, cursor: 'pointer', color: 'inherit' }}
          >
            {task.title}
          </Text>
          {projectName(task.projectId) && (
            <Text size="xs" c="dimmed" truncate>
              {projectName(task.projectId)}
            </Text>
          )}
        </Box>
        {movable && targets.length > 0 && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" size="sm" color="gray" aria-label={t('kanban.moveTask', { title: task.title })}>
                <IconArrowsMove size={14} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t('kanban.moveTo')}</Menu.Label>
              {targets.map((s) => (
                <Menu.Item key={s.id} onClick={() => onMove(s.id!)}>
                  {s.name}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      <Group gap={4} mt={4}>
        {task.clientVisible ? (
          <Badge size="xs" variant="light" color="grape" tt="none">
            {t('kanban.clientVisible')}
          </Badge>
        ) : (
          <Badge size="xs" variant="light" color="gray" tt="none">
            {t('kanban.internal')}
          </Badge>
        )}
        {task.reviewState === 'approved' && (
          <Badge size="xs" variant="light" color="teal" tt="none">
            {t('kanban.approved')}
          </Badge>
        )}
        {task.reviewState === 'changes_requested' && (
          <Badge size="xs" variant="light" color="orange" tt="none">
            {t('kanban.changesRequested')}
          </Badge>
        )}
        {task.dueDate && (
          <Text size="xs" c="dimmed">
            {t('kanban.due', { date: formatDay(task.dueDate) })}
          </Text>
        )}
      </Group>
      {task.assigneeName && (
        <Group gap={4} mt={4} wrap="nowrap">
          <IconUser size={12} style={{ flexShrink: 0 }} aria-hidden />
          <Text size="xs" truncate>
            <VisuallyHidden>{t('kanban.assignee')}</VisuallyHidden>
            {task.assigneeName}
          </Text>
        </Group>
      )}
    </Paper>
  );
}
