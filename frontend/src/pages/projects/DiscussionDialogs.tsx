import { Alert, Badge, Button, Checkbox, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Me, Project, Schemas } from '../../api/client';
import type { Thread } from '../../api/discussions';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { can } from '../../lib/permissions';
import { requiredText } from '../../lib/validation';

/** The server's limits (backend/discussions): said before a round trip, still checked there. */
export const MAX_TITLE = 200;
export const MAX_BODY = 10_000;

export const ARCHIVED_NOTE = 'This project is archived: its discussions can be read, but take no new discussions or messages. Reopen the project to write.';

/** Whether the asker may write in this project's discussions now (the server decides each time). */
export function mayWriteIn(me: Me, project: Project, readOnly: boolean): boolean {
  return can(me, 'chat.discussions') && !readOnly && project.status !== 'archived';
}

/** "Internal" or "Shared with client": only the team is told (every discussion a client sees is shared). */
export function VisibilityBadge({ thread }: { thread: Thread }) {
  return thread.clientVisible ? (
    <Badge variant="light" color="grape" tt="none">
      Shared with client
    </Badge>
  ) : (
    <Badge variant="light" color="gray" tt="none">
      Internal
    </Badge>
  );
}

/** "⌘" on a Mac, "Ctrl" elsewhere: the key that sends with Enter. */
export const SEND_KEY = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘' : 'Ctrl';

/** Ctrl+Enter (⌘+Enter) submits the textarea's form; Enter alone stays a new line. */
export function submitOnModEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}

/**
 * Starting a discussion: a title and the first message; the team chooses whether the
 * project's clients see it (internal by default). A client's discussion is always open to
 * the team and to them, so a client gets no choice (the server decides so too).
 */
export function NewThreadModal({
  opened,
  client,
  onCreate,
  onClose,
}: {
  opened: boolean;
  client: boolean;
  onCreate: (req: Schemas['ThreadRequest']) => Promise<void>;
  onClose: () => void;
}) {
  const form = useForm({
    initialValues: { title: '', body: '', clientVisible: false },
    validate: { title: requiredText('Enter a title.'), body: requiredText('Write the first message.') },
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) {
      form.reset();
      setError(null);
    }
    // Reset only when it opens (form is a new object each render).
  }, [opened]);

  const submit = form.onSubmit(async ({ title, body, clientVisible }) => {
    setBusy(true);
    setError(null);
    try {
      await onCreate({ title: title.trim(), body: body.trim(), ...(client ? {} : { clientVisible }) });
      onClose();
    } catch (e) {
      setError(applyServerError(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title="New discussion" centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <ErrorAlert message={error} />
          <TextInput label="Title" data-autofocus maxLength={MAX_TITLE} {...form.getInputProps('title')} />
          <Textarea
            label="First message"
            description={`${SEND_KEY}+Enter starts the discussion; Enter alone makes a new line.`}
            autosize
            minRows={4}
            maxRows={12}
            maxLength={MAX_BODY}
            {...form.getInputProps('body')}
            onKeyDown={submitOnModEnter}
          />
          {client ? (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
              The project's team sees this discussion and can answer it.
            </Alert>
          ) : (
            <Checkbox
              label="Visible to the project's clients"
              description="Leave it off for a discussion of the team only. This cannot be changed later."
              {...form.getInputProps('clientVisible', { type: 'checkbox' })}
            />
          )}
          <Text size="xs" c="dimmed">
            You can mention people once the discussion has started: only those who see it can be mentioned.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Start discussion
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
