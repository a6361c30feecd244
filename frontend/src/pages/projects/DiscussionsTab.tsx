import { Alert, Anchor, Button, EmptyState, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconMessages, IconPlus } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorMessage, type Me, type Project } from '../../api/client';
import { useCreateThread, useThreads, type Thread } from '../../api/discussions';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../lib/format';
import { can } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { NewThreadModal, VisibilityBadge, mayWriteIn } from './DiscussionDialogs';
import { ThreadView } from './ThreadView';

/** The search parameter that holds the open discussion: a link to it opens it. */
export const THREAD_PARAM = 'thread';

/**
 * A project's discussions: the list, most recently active first, and one discussion open
 * (its id in the URL, so it can be linked and Back closes it).
 */
export function DiscussionsTab({ me, project }: { me: Me; project: Project }) {
  const [search, setSearch] = useSearchParams();
  const threadId = search.get(THREAD_PARAM) ?? '';
  // The discussion last open: focused again in the list when it closes (keyboard users).
  const [lastOpen, setLastOpen] = useState('');

  const open = (id: string) => {
    if (threadId) setLastOpen(threadId);
    setSearch((s) => {
      const next = new URLSearchParams(s);
      if (id) next.set(THREAD_PARAM, id);
      else next.delete(THREAD_PARAM);
      return next;
    });
  };

  if (threadId) return <ThreadView me={me} project={project} threadId={threadId} onBack={() => open('')} />;
  return <ThreadList me={me} project={project} onOpen={open} focusId={lastOpen} />;
}

function ThreadList({ me, project, onOpen, focusId }: { me: Me; project: Project; onOpen: (id: string) => void; focusId: string }) {
  const { t } = useTranslation('discussions');
  const readOnly = useReadOnly();
  const client = me.role.kind === 'client';
  const archived = project.status === 'archived';
  const mayWrite = mayWriteIn(me, project, readOnly);
  const threads = useThreads(project.id);
  const create = useCreateThread(project.id);
  const [creating, setCreating] = useState(false);
  const links = useRef(new Map<string, HTMLButtonElement>());

  // Once, when the list is back: a later refetch must not pull the focus from elsewhere.
  const refocused = useRef(false);
  useEffect(() => {
    if (refocused.current || !focusId || !threads.data) return;
    refocused.current = true;
    links.current.get(focusId)?.focus();
  }, [focusId, threads.data]);

  const list = threads.data ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h4">
            {t('list.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {client ? t('list.introClient') : t('list.intro')}
          </Text>
        </div>
        {!readOnly && can(me, 'chat.discussions') && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setCreating(true)}
            disabled={!mayWrite}
            aria-describedby={archived ? 'discussions-archived' : undefined}
          >
            {t('list.newThread')}
          </Button>
        )}
      </Group>

      {archived && (
        <Alert id="discussions-archived" color="gray" variant="light" icon={<IconArchive size={18} />}>
          {t('archivedNote')}
        </Alert>
      )}

      {threads.isError && <ErrorAlert message={errorMessage(threads.error)} />}

      {threads.isPending ? (
        <Loading label={t('list.loading')} />
      ) : list.length === 0 ? (
        !threads.isError && <ThreadsEmpty client={client} mayWrite={mayWrite} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" highlightOnHover aria-label={t('list.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.discussion')}</Table.Th>
                <Table.Th>{t('list.messages')}</Table.Th>
                <Table.Th>{t('list.lastActivity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((t) => (
                <ThreadRow
                  key={t.id}
                  thread={t}
                  client={client}
                  onOpen={() => onOpen(t.id)}
                  linkRef={(el) => {
                    if (el) links.current.set(t.id, el);
                    else links.current.delete(t.id);
                  }}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <NewThreadModal
        opened={creating}
        client={client}
        onClose={() => setCreating(false)}
        onCreate={async (req) => {
          const thread = await create.mutateAsync(req);
          notifications.show({ color: 'teal', message: t('list.started', { title: thread.title }) });
          onOpen(thread.id);
        }}
      />
    </Stack>
  );
}

function ThreadRow({
  thread,
  client,
  onOpen,
  linkRef,
}: {
  thread: Thread;
  client: boolean;
  onOpen: () => void;
  linkRef: (el: HTMLButtonElement | null) => void;
}) {
  return (
    <Table.Tr data-testid={`thread-${thread.id}`}>
      <Table.Td>
        <Group gap={8} wrap="nowrap">
          {/* A button: Tab reaches it, Enter opens the discussion. */}
          <Anchor component="button" type="button" ref={linkRef} onClick={onOpen} fw={500} ta="left" style={{ wordBreak: 'break-word' }}>
            {thread.title}
          </Anchor>
          {!client && <VisibilityBadge thread={thread} />}
        </Group>
      </Table.Td>
      <Table.Td>{thread.messages}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <time dateTime={thread.lastMessageAt}>{formatDateTime(thread.lastMessageAt)}</time>
      </Table.Td>
    </Table.Tr>
  );
}

function ThreadsEmpty({ client, mayWrite }: { client: boolean; mayWrite: boolean }) {
  const { t } = useTranslation('discussions');
  const description = !mayWrite ? t('list.emptyReadOnly') : client ? t('list.emptyClient') : t('list.empty');
  return (
    <EmptyState icon={<IconMessages size={28} />} withIndicatorBackground title={t('list.emptyTitle')} description={description} py="xl" />
  );
}
