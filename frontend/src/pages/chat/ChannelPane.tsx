import { Alert, Box, Button, Center, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconEye, IconMessageOff, IconSend } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/client';
import {
  CHAT_MAX_BODY,
  forgetChat,
  useChatMessages,
  useDeleteChatMessage,
  useEditChatMessage,
  useLoadEarlier,
  useMarkChatRead,
  usePostChatMessage,
  type ChatChannel,
  type ChatMessage,
} from '../../api/chat';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { SEND_KEY, submitOnModEnter } from '../../lib/composer';
import { MessageCard } from '../../components/MessageCard';
import { applyServerError } from '../../lib/forms';
import i18n from '../../i18n';
import { requiredText } from '../../lib/validation';

function describe(c: ChatChannel): string {
  switch (c.kind) {
    case 'everyone':
      return i18n.t('chat:about.everyone');
    case 'team':
      return i18n.t('chat:about.team', { name: c.name });
    default:
      return c.userId ? i18n.t('chat:about.direct', { name: c.name }) : i18n.t('chat:about.deletedPerson');
  }
}

/** Why one cannot write here (the server said canPost false). */
function cannotPostReason(c: ChatChannel): string {
  if (c.kind !== 'direct') return i18n.t('chat:cannotPost.channel');
  if (!c.userId) return i18n.t('chat:cannotPost.deletedPerson');
  return i18n.t('chat:cannotPost.direct', { name: c.name });
}

/** One channel or conversation: its messages, polled for new ones, and the composer. */
export function ChannelPane({ channel, readOnly, viewAsName }: { channel: ChatChannel; readOnly: boolean; viewAsName?: string }) {
  const { t } = useTranslation('chat');
  const qc = useQueryClient();
  const messages = useChatMessages(channel.id);
  const markRead = useMarkChatRead(channel.id);
  const notFound = messages.error instanceof ApiError && messages.error.status === 404;
  const last = messages.data?.last ?? 0;

  // Read afresh the next time it opens: others' edits and deletions keep their seq.
  useEffect(() => () => forgetChat(qc, channel.id), [qc, channel.id]);

  // Shown is read: the last seq on screen is recorded once. Never while viewing as someone
  // (read-only: the server refuses it, and their unread counts are theirs).
  const sent = useRef(channel.readSeq);
  const { mutate: mark } = markRead;
  useEffect(() => {
    if (readOnly || last <= sent.current) return;
    sent.current = last;
    mark(last);
  }, [readOnly, last, mark]);

  return (
    <Stack gap="sm">
      <div>
        <Title order={2} size="h4" style={{ wordBreak: 'break-word' }}>
          {channel.name}
        </Title>
        <Text size="sm" c="dimmed">
          {describe(channel)}
        </Text>
      </div>

      {notFound ? (
        <ErrorAlert message={t('notFound')} />
      ) : (
        <MessageLog channel={channel} messages={messages} mayChange={!readOnly} mayPost={!readOnly && channel.canPost} />
      )}

      {readOnly ? (
        <Alert color="gray" variant="light" icon={<IconEye size={18} />}>
          {t('viewingAs', { name: viewAsName || t('someoneElse') })}
        </Alert>
      ) : !channel.canPost ? (
        <Alert color="gray" variant="light" icon={<IconMessageOff size={18} />} data-testid="cannot-post">
          {cannotPostReason(channel)}
        </Alert>
      ) : (
        !notFound && <Composer channel={channel} />
      )}
    </Stack>
  );
}

function MessageLog({
  channel,
  messages,
  mayChange,
  mayPost,
}: {
  channel: ChatChannel;
  messages: ReturnType<typeof useChatMessages>;
  mayChange: boolean;
  mayPost: boolean;
}) {
  const { t } = useTranslation('chat');
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // The scroll height before an earlier page came, to keep the same messages in view.
  const heightBeforeEarlier = useRef<number | null>(null);
  const [deleting, setDeleting] = useState<ChatMessage | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const del = useDeleteChatMessage();
  const earlier = useLoadEarlier(channel.id);
  const items = messages.data?.items ?? [];
  const first = messages.data?.first ?? 0;
  const last = messages.data?.last ?? 0;

  // New messages scroll into view when the reader was at the end (not while reading back),
  // and always when the last one is their own.
  const lastMine = items.length > 0 && items[items.length - 1].mine;
  useLayoutEffect(() => {
    const el = box.current;
    if (el && (atBottom.current || lastMine)) el.scrollTop = el.scrollHeight;
  }, [last, lastMine]);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && heightBeforeEarlier.current !== null) {
      el.scrollTop += el.scrollHeight - heightBeforeEarlier.current;
      heightBeforeEarlier.current = null;
    }
  }, [first]);

  const loadEarlier = () => {
    heightBeforeEarlier.current = box.current?.scrollHeight ?? null;
    earlier.mutate();
  };

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
              ? t('log.cannotFetch', { reason: errorMessage(messages.error) })
              : errorMessage(messages.error)
          }
        />
      )}
      {messages.isPending ? (
        <Loading label={t('log.loading')} />
      ) : (
        <Box
          ref={box}
          role="log"
          aria-live="polite"
          aria-label={t('log.label', { name: channel.name })}
          // Scrollable, so reachable by keyboard to scroll with the arrow keys.
          tabIndex={0}
          mah="60vh"
          style={{ overflowY: 'auto' }}
          onScroll={(e) => {
            const el = e.currentTarget;
            atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
        >
          {messages.data?.hasEarlier && (
            <Center mb="xs">
              <Button variant="subtle" size="xs" onClick={loadEarlier} loading={earlier.isPending}>
                {t('log.loadEarlier')}
              </Button>
            </Center>
          )}
          <ErrorAlert message={earlier.isError ? t('log.earlierError', { reason: errorMessage(earlier.error) }) : null} />
          {items.length === 0 ? (
            <Text c="dimmed" size="sm">
              {mayPost ? t('log.emptySayHello') : t('log.empty')}
            </Text>
          ) : (
            <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }}>
              {items.map((m) => (
                <MessageItem
                  key={m.id}
                  message={m}
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
        title={t('deleteConfirm.title')}
        confirmLabel={t('deleteConfirm.confirm')}
        onClose={() => setDeleting(null)}
        onConfirm={confirmDelete}
        loading={del.isPending}
        error={deleteError}
      >
        <Text size="sm">{t('deleteConfirm.body')}</Text>
      </ConfirmModal>
    </>
  );
}

function MessageItem({ message: m, mayChange, onDelete }: { message: ChatMessage; mayChange: boolean; onDelete: () => void }) {
  return (
    <MessageCard
      message={m}
      testId={`message-${m.seq}`}
      mayChange={mayChange}
      onDelete={onDelete}
      editor={(done) => <EditForm message={m} onDone={done} />}
    />
  );
}

function EditForm({ message, onDone }: { message: ChatMessage; onDone: () => void }) {
  const { t } = useTranslation('chat');
  const edit = useEditChatMessage();
  const form = useForm({ initialValues: { body: message.body }, validate: { body: requiredText(t('writeAMessage')) } });
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
          label={t('edit.label')}
          description={t('edit.hint', { key: SEND_KEY })}
          autosize
          minRows={2}
          maxRows={12}
          maxLength={CHAT_MAX_BODY}
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
            {t('cancel')}
          </Button>
          <Button type="submit" size="xs" loading={edit.isPending}>
            {t('save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Composer({ channel }: { channel: ChatChannel }) {
  const { t } = useTranslation('chat');
  const post = usePostChatMessage(channel.id);
  const form = useForm({ initialValues: { body: '' }, validate: { body: requiredText(t('writeAMessage')) } });
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<string | null>(null);

  const submit = form.onSubmit(async ({ body }) => {
    setError(null);
    setRefused(null);
    try {
      await post.mutateAsync(body.trim());
      form.reset();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'cannot_receive') setRefused(e.message);
      else setError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t('composer.label', { name: channel.name })}>
      <Stack gap="xs">
        {refused && (
          <Alert role="alert" color="orange" variant="light" title={t('composer.notSent')} icon={<IconMessageOff size={18} />}>
            {refused}
          </Alert>
        )}
        <ErrorAlert message={error} />
        <Textarea
          label={t('composer.message')}
          description={t('composer.hint', { key: SEND_KEY })}
          autosize
          minRows={2}
          maxRows={10}
          maxLength={CHAT_MAX_BODY}
          {...form.getInputProps('body')}
          onKeyDown={submitOnModEnter}
        />
        <Group justify="flex-end">
          <Button type="submit" leftSection={<IconSend size={16} />} loading={post.isPending}>
            {t('composer.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
