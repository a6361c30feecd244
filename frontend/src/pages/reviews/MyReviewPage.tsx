import { Badge, Card, Center, EmptyState, Group, Loader, Progress, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconCheck, IconClipboardCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me } from '../../api/client';
import { useDecideLine, useMyReviews, type AccessReview, type Decision, type ReviewLine } from '../../api/reviews';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/format';
import { pageName } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { accessText, scopeText } from './words';

/** A reviewer's checklist: their lines of each open review, each decision saved as it is made. */
export function MyReviewPage({ me }: { me: Me }) {
  const { t } = useTranslation('reviews');
  const mine = useMyReviews();
  const items = mine.data?.items ?? [];
  return (
    <Stack gap="md">
      <PageHeader title={pageName(me, 'myReview') ?? t('mine.title')} description={t('mine.description')} />
      <ErrorAlert message={mine.error ? errorMessage(mine.error) : null} />
      {mine.isPending && (
        <Center py="xl">
          <Loader />
        </Center>
      )}
      {mine.isSuccess && items.length === 0 && (
        <EmptyState icon={<IconClipboardCheck size={28} />} withIndicatorBackground title={t('mine.empty')} description={t('mine.emptyText')} py="xl" />
      )}
      {items.map((r) => (
        <Checklist key={r.id} review={r} />
      ))}
    </Stack>
  );
}

function Checklist({ review }: { review: AccessReview }) {
  const { t } = useTranslation('reviews');
  const lines = review.items ?? [];
  const decided = lines.filter((l) => l.decision).length;
  return (
    <Card withBorder component="section" aria-label={scopeText(t, review)}>
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={2} size="h4">
            {scopeText(t, review)}
          </Title>
          <Text size="sm" c="dimmed">
            {t('mine.startedBy', { name: review.startedBy.name, date: formatDateTime(review.startedAt) })}
          </Text>
        </div>
        <Text size="sm" data-testid="my-progress">
          {t('mine.progress', { decided, lines: lines.length })}
        </Text>
      </Group>
      <Progress value={lines.length ? (100 * decided) / lines.length : 0} size="sm" mb="sm" aria-hidden />
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('detail.person')}</Table.Th>
              <Table.Th>{t('detail.access')}</Table.Th>
              <Table.Th>{t('detail.decision')}</Table.Th>
              <Table.Th>{t('mine.note')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <LineRow key={l.id} reviewId={review.id} line={l} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function LineRow({ reviewId, line }: { reviewId: string; line: ReviewLine }) {
  const { t } = useTranslation('reviews');
  const readOnly = useReadOnly();
  const decide = useDecideLine();
  const [decision, setDecision] = useState<string>(line.decision);
  const [roleId, setRoleId] = useState<string | null>(line.newRoleId || null);
  const [note, setNote] = useState(line.note);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const label = `${line.userName} — ${accessText(t, line)}`;

  const save = async (body: Decision) => {
    setError(null);
    setSaved(false);
    try {
      await decide.mutateAsync({ reviewId, lineId: line.id, body });
      setSaved(true);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const choose = (d: string) => {
    setDecision(d);
    if (d === 'keep' || d === 'revoke') void save({ decision: d, note });
    else if (d === 'change' && roleId) void save({ decision: 'change', roleId, note });
  };
  const options = [
    { value: 'keep', label: t('decision.keep') },
    { value: 'revoke', label: line.kind === 'role' ? t('decision.revokeRole') : t('decision.revoke') },
    ...(line.kind === 'role' ? [{ value: 'change', label: t('decision.change'), disabled: line.roleChoices.length === 0 }] : []),
  ];
  return (
    <Table.Tr data-testid="my-line">
      <Table.Td>
        <Text size="sm">{line.userName}</Text>
        <Text size="xs" c="dimmed">
          {line.userEmail}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{accessText(t, line)}</Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <SegmentedControl size="xs" aria-label={label} data={options} value={decision} onChange={choose} disabled={readOnly || decide.isPending} />
          {line.kind === 'role' && decision === 'revoke' && (
            <Text size="xs" c="dimmed">
              {t('mine.revokeRoleHint')}
            </Text>
          )}
          {decision === 'change' && (
            <Select
              size="xs"
              aria-label={t('mine.role')}
              placeholder={t('mine.role')}
              data={line.roleChoices.map((r) => ({ value: r.id, label: r.name }))}
              value={roleId}
              onChange={(v) => {
                setRoleId(v);
                if (v) void save({ decision: 'change', roleId: v, note });
              }}
              disabled={readOnly}
            />
          )}
          {line.kind === 'role' && line.roleChoices.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('mine.noRoles')}
            </Text>
          )}
          {error && (
            <Text size="xs" c="red" role="alert">
              {error}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            size="xs"
            aria-label={t('mine.note')}
            placeholder={t('mine.notePlaceholder')}
            value={note}
            maxLength={1000}
            disabled={readOnly}
            onChange={(e) => setNote(e.currentTarget.value)}
            onBlur={() => {
              // A note is saved with its decision; without one yet, it waits for it.
              if (note === line.note) return;
              if (decision === 'keep' || decision === 'revoke') void save({ decision, note });
              else if (decision === 'change' && roleId) void save({ decision: 'change', roleId, note });
            }}
          />
          {saved && (
            <Badge color="teal" variant="light" leftSection={<IconCheck size={12} />} tt="none">
              {t('mine.saved')}
            </Badge>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
