import { Alert, Box, Button, Center, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconEye, IconMessageOff, IconSend } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
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
import { requiredText } from '../../lib/validation';

function describe(c: ChatChannel): string {
  switch (c.kind) {
    case 'everyone':
      return 'Everyone on the team reads this channel.';
    case 'team':
      return `The members of the team ${c.name} read this channel.`;
    default:
      return c.userId ? `Only you and ${c.name} read this conversation.` : 'A conversation with someone whose account was deleted.';
  }
}

/** Why one cannot write here (the server said canPost false). */
function cannotPostReason(c: ChatChannel): string {
  if (c.kind !== 'direct') return 'You cannot write in this channel.';
  if (!c.userId) return 'This person’s account was deleted: the conversation can be read, but takes no new messages.';
  return `${c.name} can no longer receive 1:1 messages: their account is deactivated, or their role no longer includes 1:1 messages.`;
}

/** One channel or conversation: its messages, polled for new ones, and the composer. */
export function ChannelPane({ channel, readOnly, viewAsName }: { channel: ChatChannel; readOnly: boolean; viewAsName?: string }) {
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
        <ErrorAlert message="This channel or conversation does not exist, or you cannot see it." />
      ) : (
        <MessageLog channel={channel} messages={messages} mayChange={!readOnly} mayPost={!readOnly && channel.canPost} />
      )}

      {readOnly ? (
        <Alert color="gray" variant="light" icon={<IconEye size={18} />}>
          You are viewing as {viewAsName || 'someone else'}: chat is read-only here, and what you read stays unread for them.
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
              ? `New messages cannot be fetched now: ${errorMessage(messages.error)} They will appear when Gatehouse answers again.`
              : errorMessage(messages.error)
          }
        />
      )}
      {messages.isPending ? (
        <Loading label="Loading messages…" />
      ) : (
        <Box
          ref={box}
          role="log"
          aria-live="polite"
          aria-label={`Messages in ${channel.name}`}
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
                Load earlier messages
              </Button>
            </Center>
          )}
          <ErrorAlert message={earlier.isError ? `Earlier messages cannot be loaded: ${errorMessage(earlier.error)}` : null} />
          {items.length === 0 ? (
            <Text c="dimmed" size="sm">
              {mayPost ? 'No messages yet — say hello.' : 'No messages yet.'}
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
        title="Delete your message?"
        confirmLabel="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={confirmDelete}
        loading={del.isPending}
        error={deleteError}
      >
        <Text size="sm">Everyone in the conversation then sees “Message deleted” in its place. This cannot be undone.</Text>
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
  const edit = useEditChatMessage();
  const form = useForm({ initialValues: { body: message.body }, validate: { body: requiredText('Write a message.') } });
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
          label="Edit your message"
          description={`${SEND_KEY}+Enter saves, Escape cancels.`}
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
            Cancel
          </Button>
          <Button type="submit" size="xs" loading={edit.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Composer({ channel }: { channel: ChatChannel }) {
  const post = usePostChatMessage(channel.id);
  const form = useForm({ initialValues: { body: '' }, validate: { body: requiredText('Write a message.') } });
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
    <form onSubmit={submit} noValidate aria-label={`Write to ${channel.name}`}>
      <Stack gap="xs">
        {refused && (
          <Alert role="alert" color="orange" variant="light" title="Message not sent" icon={<IconMessageOff size={18} />}>
            {refused}
          </Alert>
        )}
        <ErrorAlert message={error} />
        <Textarea
          label="Message"
          description={`${SEND_KEY}+Enter sends; Enter alone makes a new line.`}
          autosize
          minRows={2}
          maxRows={10}
          maxLength={CHAT_MAX_BODY}
          {...form.getInputProps('body')}
          onKeyDown={submitOnModEnter}
        />
        <Group justify="flex-end">
          <Button type="submit" leftSection={<IconSend size={16} />} loading={post.isPending}>
            Send
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
