import { Button, Group, Paper, Text } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../lib/format';

/** What every message shows, in a discussion as in the team chat. */
export type MessageFields = {
  authorName: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  body: string;
};

/**
 * One message: author, time, "(edited)", the text or "Message deleted", and for one's own
 * (mayChange) Edit — inline, by editor(done) — and Delete (onDelete asks first). Whatever
 * a kind of message adds (a discussion's mentions) comes as children, under the text.
 */
export function MessageCard({
  message: m,
  testId,
  mayChange,
  onDelete,
  editor,
  children,
}: {
  message: MessageFields;
  testId: string;
  mayChange: boolean;
  onDelete: () => void;
  editor: (done: () => void) => ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation('shell');
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const when = formatDateTime(m.createdAt);
  const closeEdit = () => {
    setEditing(false);
    // Back to where the keyboard was (the button exists again after the render).
    setTimeout(() => editButton.current?.focus(), 0);
  };

  return (
    <Paper component="li" withBorder p="sm" radius="sm" data-testid={testId} aria-label={`${m.authorName}, ${when}`}>
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Group gap={8} wrap="wrap">
          <Text size="sm" fw={600}>
            {m.authorName}
          </Text>
          <Text size="xs" c="dimmed" component="time" dateTime={m.createdAt}>
            {when}
          </Text>
          {m.editedAt && !m.deleted && (
            <Text size="xs" c="dimmed" title={t('message.editedAt', { when: formatDateTime(m.editedAt) })}>
              {t('message.edited')}
            </Text>
          )}
        </Group>
        {mayChange && !editing && (
          <Group gap={4} wrap="nowrap">
            <Button
              ref={editButton}
              size="compact-xs"
              variant="subtle"
              color="gray"
              leftSection={<IconPencil size={14} />}
              onClick={() => setEditing(true)}
              aria-label={t('message.editAria', { when })}
            >
              {t('message.edit')}
            </Button>
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={14} />}
              onClick={onDelete}
              aria-label={t('message.deleteAria', { when })}
            >
              {t('message.delete')}
            </Button>
          </Group>
        )}
      </Group>
      {m.deleted ? (
        <Text size="sm" c="dimmed" fs="italic">
          {t('message.deleted')}
        </Text>
      ) : editing ? (
        editor(closeEdit)
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {m.body}
        </Text>
      )}
      {children}
    </Paper>
  );
}
