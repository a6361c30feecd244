import { Badge, Grid, NavLink, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { IconHash, IconUser, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Me } from '../../api/client';
import { errorMessage } from '../../api/client';
import { directChannelId, useChatOverview, type ChatChannel, type ChatOverview } from '../../api/chat';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useViewAs } from '../../lib/readOnly';
import { ChannelPane } from './ChannelPane';

export const chatPath = (channelId: string) => `/chat/${encodeURIComponent(channelId)}`;

/** Conversations, the most recently active first (one without messages yet last). */
function byRecent(a: ChatChannel, b: ChatChannel): number {
  return (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? '') || a.name.localeCompare(b.name);
}

/**
 * The channel at `id` as the overview knows it; a 1:1 conversation not begun yet with
 * someone of `people` is one without messages. Null when the asker has no such channel.
 */
export function channelFor(me: Me, overview: ChatOverview, id: string): ChatChannel | null {
  const known = overview.channels.find((c) => c.id === id);
  if (known) return known;
  const person = overview.people.find((p) => directChannelId(me.user.id, p.id) === id);
  if (!person) return null;
  return { id, kind: 'direct', name: person.name, userId: person.id, canPost: true, lastSeq: 0, readSeq: 0, unread: 0, lastMessageAt: null };
}

/** Team chat (everyone's channel and one per team) and 1:1 messages. */
export function ChatPage({ me }: { me: Me }) {
  const { t } = useTranslation('chat');
  const { channel: param } = useParams();
  const channelId = param ?? '';
  const overview = useChatOverview();
  const viewAs = useViewAs();

  return (
    <>
      <PageHeader
        title={t('title')}
        description={viewAs ? t('descriptionViewAs', { name: viewAs.name }) : t('description')}
      />
      {overview.isError && (
        <ErrorAlert
          message={
            overview.data
              ? t('cannotUpdate', { reason: errorMessage(overview.error) })
              : errorMessage(overview.error)
          }
        />
      )}
      {overview.isPending ? (
        <Loading label={t('loading')} />
      ) : overview.data ? (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, sm: 4, lg: 3 }}>
            <Paper withBorder p="xs" radius="sm">
              <ChannelList me={me} overview={overview.data} openId={channelId} readOnly={!!viewAs} />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 8, lg: 9 }}>
            {channelId ? (
              <OpenChannel me={me} overview={overview.data} channelId={channelId} readOnly={!!viewAs} viewAsName={viewAs?.name} />
            ) : (
              <Text c="dimmed" mt="sm">
                {viewAs ? t('chooseViewAs') : t('choose')}
              </Text>
            )}
          </Grid.Col>
        </Grid>
      ) : null}
    </>
  );
}

function OpenChannel({
  me,
  overview,
  channelId,
  readOnly,
  viewAsName,
}: {
  me: Me;
  overview: ChatOverview;
  channelId: string;
  readOnly: boolean;
  viewAsName?: string;
}) {
  const { t } = useTranslation('chat');
  const channel = channelFor(me, overview, channelId);
  if (!channel) return <ErrorAlert message={t('notFoundChooseAnother')} />;
  // A fresh pane per channel: its composer, edits and scroll position start over.
  return <ChannelPane key={channel.id} channel={channel} readOnly={readOnly} viewAsName={viewAsName} />;
}

function ChannelList({ me, overview, openId, readOnly }: { me: Me; overview: ChatOverview; openId: string; readOnly: boolean }) {
  const { t } = useTranslation('chat');
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const rooms = overview.channels.filter((c) => c.kind !== 'direct');
  const directs = overview.channels.filter((c) => c.kind === 'direct').sort(byRecent);
  const hasTeam = rooms.some((c) => c.kind === 'team');
  // Only the people the server names: whom the asker may write to one to one.
  const options = overview.people.map((p) => ({ value: p.id, label: p.name }));

  return (
    <nav aria-label={t('list.label')}>
      <Stack gap="xs">
        <Title order={2} size="h5" px={6}>
          {t('list.channels')}
        </Title>
        {rooms.length === 0 ? (
          <Text size="sm" c="dimmed" px={6}>
            {t('list.noTeamChat')}
          </Text>
        ) : (
          <div>
            {rooms.map((c) => (
              <ChannelLink key={c.id} channel={c} open={c.id === openId} readOnly={readOnly} />
            ))}
          </div>
        )}
        {rooms.length > 0 && !hasTeam && (
          <Text size="sm" c="dimmed" px={6}>
            {t('list.noTeam')}
          </Text>
        )}

        <Title order={2} size="h5" px={6} mt="sm">
          {t('list.direct')}
        </Title>
        {!readOnly && (
          <Select
            label={t('list.messageSomeone')}
            placeholder={options.length ? t('list.choosePerson') : undefined}
            description={options.length ? undefined : t('list.nobodyCanReceive')}
            data={options}
            value={null}
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            disabled={options.length === 0}
            nothingFoundMessage={t('list.nobodyByName')}
            leftSection={<IconUser size={16} />}
            onChange={(id) => {
              setSearch('');
              if (id) navigate(chatPath(directChannelId(me.user.id, id)));
            }}
            px={6}
          />
        )}
        {directs.length === 0 ? (
          <Text size="sm" c="dimmed" px={6}>
            {readOnly ? t('list.noConversations') : t('list.noConversationsStart')}
          </Text>
        ) : (
          <div>
            {directs.map((c) => (
              <ChannelLink key={c.id} channel={c} open={c.id === openId} readOnly={readOnly} />
            ))}
          </div>
        )}
      </Stack>
    </nav>
  );
}

function ChannelLink({ channel: c, open, readOnly }: { channel: ChatChannel; open: boolean; readOnly: boolean }) {
  const { t } = useTranslation('chat');
  // The open channel is being read (and marked so), unless viewing as someone.
  const unread = open && !readOnly ? 0 : c.unread;
  const Icon = c.kind === 'direct' ? IconUser : c.kind === 'team' ? IconUsersGroup : IconHash;
  return (
    <NavLink
      component={Link}
      to={chatPath(c.id)}
      label={c.name}
      leftSection={<Icon size={16} />}
      active={open}
      aria-current={open ? 'page' : undefined}
      data-testid={`channel-${c.id}`}
      rightSection={
        unread > 0 ? (
          <Badge size="sm" variant="filled" color="red" aria-label={t('list.unread', { count: unread })}>
            {unread > 99 ? '99+' : unread}
          </Badge>
        ) : undefined
      }
    />
  );
}
