import { Alert, Anchor, Badge, Button, Center, Checkbox, EmptyState, Group, Loader, Modal, MultiSelect, Progress, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconClipboardCheck, IconFileText, IconPlus, IconTable } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { errorMessage, type Me } from '../../api/client';
import { useRoles } from '../../api/hooks';
import { fetchReviewReport, reviewReport, useCloseReview, useReview, useReviewCandidates, useReviewDue, useReviews, useStartReview, type AccessReview } from '../../api/reviews';
import { useAllProjects } from '../../api/work';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import i18n from '../../i18n';
import { useApiDownload } from '../../lib/download';
import { formatDate, formatDateTime } from '../../lib/format';
import { applyServerError, useFormOnOpen } from '../../lib/forms';
import { pageName } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { accessText, decisionText, outcomeText, scopeText } from './words';

/** Access reviews (roles.manage): the list, starting one, and one review with its report. */
export function ReviewsSection({ me }: { me: Me }) {
  return (
    <Routes>
      <Route index element={<ReviewList me={me} />} />
      <Route path=":id" element={<ReviewDetail />} />
    </Routes>
  );
}

/** The quarter's review is due: none closed in 90 days (also on the Overview page). */
export function ReviewDueNotice({ onStart }: { onStart?: () => void }) {
  const { t } = useTranslation('reviews');
  const due = useReviewDue(true);
  if (!due.data?.due) return null;
  return (
    <Alert color="orange" icon={<IconClipboardCheck size={18} />} title={t('due.title')} data-testid="review-due">
      <Stack gap={6}>
        <Text size="sm">
          {t('due.text')} {due.data.lastClosed ? t('due.last', { date: formatDate(due.data.lastClosed) }) : t('due.never')}
          {due.data.open > 0 && ` ${t('due.open', { count: due.data.open })}`}
        </Text>
        <Group>
          {onStart ? (
            <Button size="xs" onClick={onStart}>
              {t('due.action')}
            </Button>
          ) : (
            <Button size="xs" component={Link} to="/reviews?start=1">
              {t('due.action')}
            </Button>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}

function ReviewList({ me }: { me: Me }) {
  const { t } = useTranslation('reviews');
  const readOnly = useReadOnly();
  const list = useReviews();
  // The Overview's "Start a review" opens the dialog here (/reviews?start=1).
  const [params, setParams] = useSearchParams();
  const [starting, setStartingState] = useState(() => params.get('start') === '1');
  const setStarting = (on: boolean) => {
    setStartingState(on);
    if (!on && params.has('start')) setParams({}, { replace: true });
  };
  const items = list.data?.items ?? [];
  return (
    <Stack gap="md">
      <PageHeader
        title={pageName(me, 'reviews') ?? t('title')}
        description={t('description')}
        actions={
          !readOnly && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setStarting(true)}>
              {t('start')}
            </Button>
          )
        }
      />
      <ReviewDueNotice onStart={readOnly ? undefined : () => setStarting(true)} />
      <ErrorAlert message={list.error ? errorMessage(list.error) : null} />
      {list.isPending && (
        <Center py="xl">
          <Loader />
        </Center>
      )}
      {list.isSuccess && items.length === 0 && (
        <EmptyState icon={<IconClipboardCheck size={28} />} withIndicatorBackground title={t('empty.title')} description={t('empty.text')} py="xl" />
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table highlightOnHover verticalSpacing="sm" aria-label={t('title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.scope')}</Table.Th>
                <Table.Th>{t('list.started')}</Table.Th>
                <Table.Th>{t('list.status')}</Table.Th>
                <Table.Th>{t('list.progress')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/reviews/${r.id}`}>
                      {scopeText(t, r)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {formatDateTime(r.startedAt)} · {r.startedBy.name}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={r.status === 'open' ? 'blue' : 'gray'} tt="none">
                      {t(`list.${r.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td miw={140}>
                    <Text size="sm">{t('list.progressOf', { decided: r.decided, lines: r.lines })}</Text>
                    <Progress value={r.lines ? (100 * r.decided) / r.lines : 0} size="sm" aria-hidden />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <StartReviewModal opened={starting} onClose={() => setStarting(false)} />
    </Stack>
  );
}

type StartValues = { scope: AccessReview['scope']; roleId: string | null; projectId: string | null; reviewers: string[] };

function StartReviewModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('reviews');
  const navigate = useNavigate();
  const start = useStartReview();
  const candidates = useReviewCandidates(opened);
  const roles = useRoles(opened);
  const projects = useAllProjects(opened);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<StartValues>({
    mode: 'controlled',
    initialValues: { scope: 'all', roleId: null, projectId: null, reviewers: [] },
    validate: {
      roleId: (v, values) => (values.scope === 'role' && !v ? t('scope.pickRole') : null),
      projectId: (v, values) => (values.scope === 'project' && !v ? t('scope.pickProject') : null),
      reviewers: (v) => (v.length ? null : t('form.pickReviewers')),
    },
  });
  useFormOnOpen(opened, form, (): StartValues => ({ scope: 'all', roleId: null, projectId: null, reviewers: [] }), () => setFormError(null));
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    const scopeId = v.scope === 'role' ? (v.roleId ?? '') : v.scope === 'project' ? (v.projectId ?? '') : undefined;
    try {
      const r = await start.mutateAsync({ scope: v.scope, scopeId, reviewers: v.reviewers });
      onClose();
      navigate(`/reviews/${r.id}`);
    } catch (e) {
      setFormError(applyServerError(form, e, { scopeId: v.scope === 'role' ? 'roleId' : 'projectId' }));
    }
  });
  const options = (candidates.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }));
  return (
    <Modal opened={opened} onClose={onClose} title={t('form.title')} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <ErrorAlert message={formError} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('scope.label')}
            </Text>
            <SegmentedControl
              aria-label={t('scope.label')}
              data={(['all', 'role', 'project'] as const).map((s) => ({ value: s, label: t(`scope.${s}`) }))}
              {...form.getInputProps('scope')}
            />
          </Stack>
          {form.values.scope === 'role' && (
            <Select
              label={t('scope.roleLabel')}
              placeholder={t('scope.pickRole')}
              data={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
              searchable
              required
              {...form.getInputProps('roleId')}
            />
          )}
          {form.values.scope === 'project' && (
            <Select
              label={t('scope.projectLabel')}
              placeholder={t('scope.pickProject')}
              data={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              searchable
              required
              {...form.getInputProps('projectId')}
            />
          )}
          <MultiSelect
            label={t('form.reviewers')}
            description={t('form.reviewersHelp')}
            placeholder={t('form.pickReviewers')}
            data={options}
            searchable
            required
            nothingFoundMessage={t('form.noCandidates')}
            {...form.getInputProps('reviewers')}
          />
          {candidates.isSuccess && options.length === 0 && <Alert color="yellow">{t('form.noCandidates')}</Alert>}
          <Text size="sm" c="dimmed">
            {t('form.snapshot')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" loading={start.isPending}>
              {t('form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The report's downloads: in a browser through the API, in the window through its save dialog. */
function useReportDownload(id: string) {
  const { busy, error, clearError, download } = useApiDownload<'pdf' | 'csv'>({
    notSaved: (reason) => i18n.t('reviews:detail.notSaved', { reason }),
    savedTo: (path) => i18n.t('reviews:detail.savedTo', { path }),
    windowMissing: () => i18n.t('reviews:detail.windowMissing'),
  });
  return {
    busy,
    error,
    clearError,
    download: (which: 'pdf' | 'csv') => {
      const { path, name } = reviewReport(id, which);
      return download(which, { name, content: () => fetchReviewReport(id, which), window: { path } });
    },
  };
}

function ReviewDetail() {
  const { t } = useTranslation('reviews');
  const { id = '' } = useParams();
  const review = useReview(id);
  const close = useCloseReview();
  const downloads = useReportDownload(id);
  const readOnly = useReadOnly();
  const [closing, setClosing] = useState(false);
  const [keepUndecided, setKeepUndecided] = useState(false);
  const [closeError, setCloseError] = useState<string | null>(null);
  const r = review.data;

  if (review.isPending)
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  if (!r) return <ErrorAlert message={review.error ? errorMessage(review.error) : t('detail.notFound')} />;
  const undecided = r.lines - r.decided;
  const reviewers = (r.reviewers ?? []).map((x) => x.name).join(', ');

  const doClose = async () => {
    setCloseError(null);
    try {
      const done = await close.mutateAsync({ id, keepUndecided });
      const items = done.items ?? [];
      const count = (o: string) => items.filter((l) => l.outcome === o).length;
      notifications.show({ color: 'teal', message: t('closeDialog.done', { applied: count('applied'), failed: count('failed'), kept: count('kept') }) });
      setClosing(false);
    } catch (e) {
      setCloseError(errorMessage(e));
    }
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/reviews" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('detail.back')}
        </Group>
      </Anchor>
      <PageHeader
        title={scopeText(t, r)}
        description={
          <>
            {t('detail.startedBy', { name: r.startedBy.name, date: formatDateTime(r.startedAt) })}
            {r.closedAt && ` · ${t('detail.closedBy', { name: r.closedByName, date: formatDateTime(r.closedAt) })}`}
          </>
        }
        actions={
          r.canClose &&
          !readOnly && (
            <Button
              color="red"
              onClick={() => {
                setKeepUndecided(false);
                setCloseError(null);
                setClosing(true);
              }}
            >
              {t('detail.close')}
            </Button>
          )
        }
      />
      <Group gap="md" align="center">
        <Badge variant="light" color={r.status === 'open' ? 'blue' : 'gray'} tt="none">
          {t(`list.${r.status}`)}
        </Badge>
        <Text size="sm" data-testid="review-progress">
          {t('detail.progress', { decided: r.decided, lines: r.lines })}
        </Text>
        {reviewers && (
          <Text size="sm" c="dimmed">
            {t('detail.reviewers', { names: reviewers })}
          </Text>
        )}
      </Group>
      <Progress value={r.lines ? (100 * r.decided) / r.lines : 0} size="sm" aria-hidden />
      <Group gap="xs">
        <Button size="xs" variant="default" leftSection={<IconTable size={16} />} loading={downloads.busy === 'csv'} onClick={() => void downloads.download('csv')}>
          {t('detail.csv')}
        </Button>
        <Button size="xs" variant="default" leftSection={<IconFileText size={16} />} loading={downloads.busy === 'pdf'} onClick={() => void downloads.download('pdf')}>
          {t('detail.pdf')}
        </Button>
      </Group>
      {downloads.error && (
        <Alert color="red" withCloseButton onClose={downloads.clearError}>
          {downloads.error}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table verticalSpacing="xs" aria-label={scopeText(t, r)}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('detail.person')}</Table.Th>
              <Table.Th>{t('detail.access')}</Table.Th>
              <Table.Th>{t('detail.reviewer')}</Table.Th>
              <Table.Th>{t('detail.decision')}</Table.Th>
              <Table.Th>{t('detail.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(r.items ?? []).map((l) => (
              <Table.Tr key={l.id} data-testid="review-line">
                <Table.Td>
                  <Text size="sm">{l.userName}</Text>
                  <Text size="xs" c="dimmed">
                    {l.userEmail}
                  </Text>
                </Table.Td>
                <Table.Td>{accessText(t, l)}</Table.Td>
                <Table.Td>{l.reviewerName}</Table.Td>
                <Table.Td>
                  <Text size="sm">{decisionText(t, l)}</Text>
                  {l.note && (
                    <Text size="xs" c="dimmed">
                      {l.note}
                    </Text>
                  )}
                  {l.decidedAt && (
                    <Text size="xs" c="dimmed">
                      {formatDateTime(l.decidedAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={l.outcome === 'failed' ? 'red' : undefined}>
                    {outcomeText(t, l)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={closing}
        title={t('closeDialog.title')}
        confirmLabel={t('closeDialog.confirm')}
        onConfirm={() => void doClose()}
        onClose={() => setClosing(false)}
        loading={close.isPending}
        confirmDisabled={undecided > 0 && !keepUndecided}
        error={closeError}
      >
        <Text size="sm">{t('closeDialog.text')}</Text>
        {undecided > 0 && (
          <>
            <Text size="sm" fw={500}>
              {t('closeDialog.undecided', { count: undecided })}
            </Text>
            <Checkbox label={t('closeDialog.keepUndecided')} checked={keepUndecided} onChange={(e) => setKeepUndecided(e.currentTarget.checked)} />
          </>
        )}
      </ConfirmModal>
    </Stack>
  );
}
