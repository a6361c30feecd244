import { ActionIcon, Badge, Box, Group, Menu, Paper, ScrollArea, Stack, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconArrowsMove, IconPlus, IconUser } from '@tabler/icons-react';
import { useState, type DragEvent } from 'react';
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
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const stageIds = new Set(board.stages.map((s) => s.id));
  const unstaged = tasks.filter((t) => !stageIds.has(t.stageId));
  const columns: { id: string; name: string; kind: Stage['kind'] | 'none' }[] = [
    ...board.stages.filter((s) => s.id).map((s) => ({ id: s.id!, name: s.name, kind: s.kind })),
    ...(unstaged.length > 0 ? [{ id: '', name: 'No stage', kind: 'none' as const }] : []),
  ];

  const drop = (e: DragEvent, stageId: string) => {
    e.preventDefault();
    const id = dragging ?? e.dataTransfer?.getData(DRAG_TYPE) ?? e.dataTransfer?.getData('text/plain');
    setDragging(null);
    setOver(null);
    const t = tasks.find((x) => x.id === id);
    if (t && t.stageId !== stageId && stageId && canMove(t)) onMove(t, stageId);
  };

  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Group align="flex-start" wrap="nowrap" gap="md" pb="sm" role="list" aria-label={`Stages of ${board.name}`}>
        {columns.map((col) => {
          const cards = col.id ? tasks.filter((t) => t.stageId === col.id) : unstaged;
          const droppable = !!col.id;
          // The kind is said only when the stage's name does not say it already.
          const kindLabel = col.kind === 'review' ? 'client review' : col.kind === 'done' ? 'done' : '';
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
                  <Tooltip label={`New task in ${col.name}`}>
                    <ActionIcon variant="subtle" size="sm" aria-label={`New task in ${col.name}`} onClick={() => onCreate(col.id)}>
                      <IconPlus size={16} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
              <Stack gap="xs" mih={60}>
                {cards.map((t) => (
                  <KanbanCard
                    key={t.id}
                    task={t}
                    board={board}
                    movable={canMove(t)}
                    dragging={dragging === t.id}
                    onDragStart={(e) => {
                      setDragging(t.id);
                      if (e.dataTransfer) {
                        e.dataTransfer.effectAllowed = 'move';
                        e.dataTransfer.setData(DRAG_TYPE, t.id);
                        e.dataTransfer.setData('text/plain', t.id);
                      }
                    }}
                    onDragEnd={() => {
                      setDragging(null);
                      setOver(null);
                    }}
                    onMove={(stageId) => onMove(t, stageId)}
                    onOpen={() => onOpen(t)}
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
              <ActionIcon variant="subtle" size="sm" color="gray" aria-label={`Move ${task.title} to…`}>
                <IconArrowsMove size={14} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Move to…</Menu.Label>
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
            Client-visible
          </Badge>
        ) : (
          <Badge size="xs" variant="light" color="gray" tt="none">
            Internal
          </Badge>
        )}
        {task.reviewState === 'approved' && (
          <Badge size="xs" variant="light" color="teal" tt="none">
            Approved
          </Badge>
        )}
        {task.reviewState === 'changes_requested' && (
          <Badge size="xs" variant="light" color="orange" tt="none">
            Changes requested
          </Badge>
        )}
        {task.dueDate && (
          <Text size="xs" c="dimmed">
            Due {formatDay(task.dueDate)}
          </Text>
        )}
      </Group>
      {task.assigneeName && (
        <Group gap={4} mt={4} wrap="nowrap">
          <IconUser size={12} style={{ flexShrink: 0 }} aria-hidden />
          <Text size="xs" truncate>
            <VisuallyHidden>Assignee: </VisuallyHidden>
            {task.assigneeName}
          </Text>
        </Group>
      )}
    </Paper>
  );
}
