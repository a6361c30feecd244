import { Alert, Anchor, Badge, Box, Breadcrumbs, Button, Group, MultiSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArchive, IconAt, IconSend, IconShieldSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, type Me, type Project } from '../../api/client';
import {
  forgetMessages,
  useDeleteMessage,
  useEditMessage,
  useMessages,
  usePostMessage,
  useThread,
  useThreadPeople,
  type Message,
  type Thread,
  type ThreadPerson,
} from '../../api/discussions';
import { MessageCard } from '../../components/MessageCard';
import { AccessTab } from '../../components/AccessTab';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { can } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { requiredText } from '../../lib/validation';
import { MAX_BODY, SEND_KEY, VisibilityBadge, mayWriteIn, submitOnModEnter } from './DiscussionDialogs';

// The server refuses more (backend/discussions MaxMentions).
const MAX_MENTIONS = 20;

/** One discussion: its messages oldest first, polled for new ones, and the composer. */
export function ThreadView({ me, project, threadId, onBack }: { me: Me; project: Project; threadId: string; onBack: () => void }) {
  const { t } = useTranslation('discussions');
  const qc = useQueryClient();
  const readOnly = useReadOnly();
  const client = me.role.kind === 'client';
  const thread = useThread(threadId);
  const hidden = thread.error instanceof ApiError && thread.error.status === 404;
  const messages = useMessages(threadId, !thread.isError);
  const people = useThreadPeople(threadId, !thread.isError);
  const mayWrite = mayWriteIn(me, project, readOnly);
  // The access answer needs users.view (403 otherwise): the team's only, as for files.
  const mayAccess = !client && can(me, 'users.view');
  const [showAccess, setShowAccess] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // Read afresh the next time it opens: others' edits and deletions keep their seq.
  useEffect(() => () => forgetMessages(qc, threadId), [qc, threadId]);

  // Focus the title when it opens, so keyboard and screen-reader users land in it.
  const loaded = thread.isSuccess;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded, threadId]);

  const names = useMemo(() => new Map((people.data ?? []).map((p) => [p.id, p.name] as const)), [people.data]);

  const crumbs = (
    <nav aria-label={t('thread.path')}>
      <Breadcrumbs separatorMargin={6}>
        <Anchor component="button" type="button" onClick={onBack}>
          {t('thread.all')}
        </Anchor>
        <Text aria-current="page" lineClamp={1}>
          {thread.data?.title ?? (hidden ? t('thread.notFound') : '…')}
        </Text>
      </Breadcrumbs>
    </nav>
  );

  if (thread.isError) {
    return (
      <Stack gap="md" align="flex-start">
        {crumbs}
        <ErrorAlert message={hidden ? t('thread.hidden') : errorMessage(thread.error)} />
        <Button variant="default" onClick={onBack}>
          {t('thread.back')}
        </Button>
      </Stack>
    );
  }
  if (thread.isPending) {
    return (
      <Stack gap="md">
        {crumbs}
        <Loading label={t('thread.loading')} />
      </Stack>
    );
  }
  const th = thread.data;

  return (
    <Stack gap="md">
      {crumbs}
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Group gap="sm">
            <Title order={2} size="h4" ref={heading} tabIndex={-1} style={{ wordBreak: 'break-word' }}>
              {th.title}
            </Title>
            {!client && <VisibilityBadge thread={th} />}
          </Group>
          <Text size="sm" c="dimmed">
            {client ? t('thread.seenByClient') : th.clientVisible ? t('thread.seenByTeamAndClients') : t('thread.seenByTeam')}
          </Text>
        </div>
        {mayAccess && (
          <Button
            variant="default"
            leftSection={<IconShieldSearch size={16} />}
            onClick={() => setShowAccess((v) => !v)}
            aria-expanded={showAccess}
            aria-controls="thread-access"
          >
            {t('thread.whoCanSee')}
          </Button>
        )}
      </Group>

      {mayAccess && showAccess && (
        <Paper id="thread-access" withBorder p="md" radius="sm">
          <AccessTab type="thread" id={th.id} />
        </Paper>
      )}

      <MessageLog me={me} thread={th} messages={messages} names={names} mayChange={mayWrite} />

      {mayWrite ? (
        <Composer me={me} thread={th} people={people.data} peopleError={people.isError ? errorMessage(people.error) : null} />
      ) : (
        project.status === 'archived' && (
          <Alert color="gray" variant="light" icon={<IconArchive size={18} />}>
            {t('archivedNote')}
          </Alert>
        )
      )}
    </Stack>
  );
}

function MessageLog({
  me,
  thread,
  messages,
  names,
  mayChange,
}: {
  me: Me;
  thread: Thread;
  messages: ReturnType<typeof useMessages>;
  names: Map<string, string>;
  mayChange: boolean;
}) {
  const { t } = useTranslation('discussions');
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [deleting, setDeleting] = useState<Message | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const del = useDeleteMessage();
  const items = messages.data?.items ?? [];
  const last = messages.data?.last ?? 0;

  // New messages scroll into view when the reader was at the end (not while reading back),
  // and always when the last one is their own.
  const lastMine = items.length > 0 && items[items.length - 1].mine;
  useLayoutEffect(() => {
    const el = box.current;
    if (el && (atBottom.current || lastMine)) el.scrollTop = el.scrollHeight;
  }, [last, lastMine]);

  const confirmDelete = async () => {
    if (!deleting) return;
    setDeleteError(null);
    try {
      await del.mutateAsync(deleting);
      setDeleting(null);
    } catch (e) {
      setDeleteError(errorMessage(e));
    }
  };

  return (
    <>
      {messages.isError && (
        <ErrorAlert
          message={
            messages.data
              ? t('messages.stale', { why: errorMessage(messages.error) })
              : errorMessage(messages.error)
          }
        />
      )}
      {messages.isPending ? (
        <Loading label={t('messages.loading')} />
      ) : (
        <Box
          ref={box}
          role="log"
          aria-label={t('messages.logLabel', { title: thread.title })}
          // Scrollable, so reachable by keyboard to scroll with the arrow keys.
          tabIndex={0}
          mah="60vh"
          style={{ overflowY: 'auto' }}
          onScroll={(e) => {
            const el = e.currentTarget;
            atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
        >
          {items.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('messages.none')}
            </Text>
          ) : (
            <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }}>
              {items.map((m) => (
                <MessageItem
                  key={m.id}
                  me={me}
                  message={m}
                  names={names}
                  mayChange={mayChange && m.mine && !m.deleted}
                  onDelete={() => {
                    setDeleteError(null);
                    setDeleting(m);
                  }}
                />
              ))}
            </Stack>
          )}
        </Box>
      )}
      <ConfirmModal
        opened={deleting !== null}
        title={t('messages.deleteTitle')}
        confirmLabel={t('actions.delete')}
        onClose={() => setDeleting(null)}
        onConfirm={confirmDelete}
        loading={del.isPending}
        error={deleteError}
      >
        <Text size="sm">{t('messages.deleteText')}</Text>
      </ConfirmModal>
    </>
  );
}

function MessageItem({
  me,
  message: m,
  names,
  mayChange,
  onDelete,
}: {
  me: Me;
  message: Message;
  names: Map<string, string>;
  mayChange: boolean;
  onDelete: () => void;
}) {
  const { t } = useTranslation('discussions');
  // Names from the discussion's people only: an id they do not name shows nothing.
  const mentioned = m.deleted ? [] : m.mentions.flatMap((id) => (names.has(id) ? [{ id, name: names.get(id)! }] : []));
  return (
    <MessageCard
      message={m}
      testId={`message-${m.id}`}
      mayChange={mayChange}
      onDelete={onDelete}
      editor={(done) => <EditForm message={m} onDone={done} />}
    >
      {mentioned.length > 0 && (
        <Group gap={4} mt={6} aria-label={t('messages.mentioned')}>
          <Text size="xs" c="dimmed">
            {t('messages.mentionedPrefix')}
          </Text>
          {mentioned.map((p) => (
            <Badge key={p.id} size="sm" variant="light" tt="none" color={p.id === me.user.id ? 'orange' : 'blue'}>
              @{p.name}
            </Badge>
          ))}
        </Group>
      )}
    </MessageCard>
  );
}

function EditForm({ message, onDone }: { message: Message; onDone: () => void }) {
  const { t } = useTranslation('discussions');
  const edit = useEditMessage();
  const form = useForm({ initialValues: { body: message.body }, validate: { body: requiredText(t('messages.required')) } });
  const [error, setError] = useState<string | null>(null);
  const submit = form.onSubmit(async ({ body }) => {
    setError(null);
    try {
      await edit.mutateAsync({ id: message.id, body: body.trim() });
      onDone();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs" mt={6}>
        <ErrorAlert message={error} />
        <Textarea
          label={t('messages.edit')}
          description={t('messages.editHelp', { key: SEND_KEY })}
          autosize
          minRows={2}
          maxRows={12}
          maxLength={MAX_BODY}
          data-autofocus
          autoFocus
          {...form.getInputProps('body')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              onDone();
            } else submitOnModEnter(e);
          }}
        />
        <Group gap="xs" justify="flex-end">
          <Button variant="default" size="xs" onClick={onDone}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" size="xs" loading={edit.isPending}>
            {t('actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Composer({ me, thread, people, peopleError }: { me: Me; thread: Thread; people?: ThreadPerson[]; peopleError: string | null }) {
  const { t } = useTranslation('discussions');
  const post = usePostMessage(thread.id);
  const form = useForm({
    initialValues: { body: '', mentions: [] as string[] },
    validate: { body: requiredText(t('messages.required')) },
  });
  const [error, setError] = useState<string | null>(null);
  // Only the people who see the discussion (GET /api/threads/{id}/people), never oneself.
  const options = (people ?? [])
    .filter((p) => p.active && p.id !== me.user.id)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => ({ value: p.id, label: p.name }));

  const submit = form.onSubmit(async ({ body, mentions }) => {
    setError(null);
    try {
      await post.mutateAsync({ body: body.trim(), mentions });
      form.reset();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t('composer.label')}>
      <Stack gap="xs">
        <ErrorAlert message={error} />
        <Textarea
          label={t('composer.message')}
          description={t('composer.help', { key: SEND_KEY })}
          autosize
          minRows={2}
          maxRows={10}
          maxLength={MAX_BODY}
          {...form.getInputProps('body')}
          onKeyDown={submitOnModEnter}
        />
        <Group align="flex-end" gap="sm" wrap="wrap">
          <MultiSelect
            label={t('composer.mention')}
            description={peopleError ?? (thread.clientVisible ? t('composer.mentionTeamAndClients') : t('composer.mentionTeam'))}
            placeholder={options.length ? t('composer.mentionPlaceholder') : undefined}
            data={options}
            searchable
            clearable
            maxValues={MAX_MENTIONS}
            nothingFoundMessage={t('composer.nobodyNamed')}
            leftSection={<IconAt size={16} />}
            disabled={!people}
            style={{ flex: 1, minWidth: 240 }}
            {...form.getInputProps('mentions')}
          />
          <Button type="submit" leftSection={<IconSend size={16} />} loading={post.isPending}>
            {t('composer.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
