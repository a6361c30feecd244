import { Alert, Badge, Button, Checkbox, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me, Project, Schemas } from '../../api/client';
import type { Thread } from '../../api/discussions';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { can } from '../../lib/permissions';
import { requiredText } from '../../lib/validation';

/** The server's limits (backend/discussions): said before a round trip, still checked there. */
export const MAX_TITLE = 200;
export const MAX_BODY = 10_000;

/** Whether the asker may write in this project's discussions now (the server decides each time). */
export function mayWriteIn(me: Me, project: Project, readOnly: boolean): boolean {
  return can(me, 'chat.discussions') && !readOnly && project.status !== 'archived';
}

/** "Internal" or "Shared with client": only the team is told (every discussion a client sees is shared). */
export function VisibilityBadge({ thread }: { thread: Thread }) {
  const { t } = useTranslation('discussions');
  return thread.clientVisible ? (
    <Badge variant="light" color="grape" tt="none">
      {t('visibility.shared')}
    </Badge>
  ) : (
    <Badge variant="light" color="gray" tt="none">
      {t('visibility.internal')}
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
  const { t } = useTranslation('discussions');
  const form = useForm({
    initialValues: { title: '', body: '', clientVisible: false },
    validate: { title: requiredText(t('newThread.titleRequired')), body: requiredText(t('newThread.bodyRequired')) },
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
    <Modal opened={opened} onClose={onClose} title={t('newThread.title')} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <ErrorAlert message={error} />
          <TextInput label={t('newThread.titleLabel')} data-autofocus maxLength={MAX_TITLE} {...form.getInputProps('title')} />
          <Textarea
            label={t('newThread.body')}
            description={t('newThread.bodyHelp', { key: SEND_KEY })}
            autosize
            minRows={4}
            maxRows={12}
            maxLength={MAX_BODY}
            {...form.getInputProps('body')}
            onKeyDown={submitOnModEnter}
          />
          {client ? (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
              {t('newThread.clientNote')}
            </Alert>
          ) : (
            <Checkbox
              label={t('newThread.clientVisible')}
              description={t('newThread.clientVisibleHelp')}
              {...form.getInputProps('clientVisible', { type: 'checkbox' })}
            />
          )}
          <Text size="xs" c="dimmed">
            {t('newThread.mentionNote')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('newThread.start')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
