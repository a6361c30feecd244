import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  CopyButton,
  FileInput,
  Group,
  Modal,
  Progress,
  Stack,
  Table,
  Text,
  Textarea,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconDownload, IconFileTypeCsv, IconMailOff } from '@tabler/icons-react';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/client';
import {
  fetchImportTemplate,
  useCheckImport,
  useImportJob,
  useStartImport,
  type ImportJob,
  type ImportReport,
  type ImportRow,
} from '../../api/users';
import { ErrorAlert } from '../../components/ErrorAlert';
import { saveBlob, toCsv } from '../../lib/download';

export const TEMPLATE_FILE = 'gatehouse-users.csv';
export const LINKS_FILE = 'gatehouse-set-password-links.csv';

/** One row per CSV row, its problems in red beside it. */
function ReportTable({ rows }: { rows: ImportRow[] }) {
  const { t } = useTranslation('users', { keyPrefix: 'import' });
  return (
    <Table.ScrollContainer minWidth={760} mah={360}>
      <Table verticalSpacing="xs" withTableBorder aria-label={t('rowsLabel')} stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('line')}</Table.Th>
            <Table.Th>{t('name')}</Table.Th>
            <Table.Th>{t('email')}</Table.Th>
            <Table.Th>{t('role')}</Table.Th>
            <Table.Th>{t('projects')}</Table.Th>
            <Table.Th>{t('teams')}</Table.Th>
            <Table.Th>{t('check')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const bad = r.errors.length > 0;
            return (
              <Table.Tr key={r.line} bg={bad ? 'var(--mantine-color-red-light)' : undefined} data-invalid={bad || undefined}>
                <Table.Td>{r.line}</Table.Td>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.email}</Table.Td>
                <Table.Td>{r.role}</Table.Td>
                <Table.Td>{r.projects.join(', ')}</Table.Td>
                <Table.Td>{r.teams.join(', ')}</Table.Td>
                <Table.Td>
                  {bad ? (
                    <Stack gap={2}>
                      {r.errors.map((e, i) => (
                        <Text key={i} size="sm" c="red">
                          {e.field ? `${e.field}: ` : ''}
                          {e.message}
                        </Text>
                      ))}
                    </Stack>
                  ) : (
                    <Text size="sm" c="teal">
                      {t('ready')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Counts({ report }: { report: ImportReport }) {
  const { t } = useTranslation('users', { keyPrefix: 'import' });
  return (
    <Group gap="xs" aria-label={t('checkResult')}>
      <Badge variant="light" color="gray" tt="none">
        {t('rows', { count: report.rows.length })}
      </Badge>
      <Badge variant="light" color="teal" tt="none">
        {t('readyCount', { count: report.valid })}
      </Badge>
      <Badge variant="light" color={report.invalid > 0 ? 'red' : 'gray'} tt="none">
        {t('withErrors', { count: report.invalid })}
      </Badge>
    </Group>
  );
}

/** The one-time set-password links of an import done without email: shown once, here. */
function Links({ links }: { links: NonNullable<ImportJob['links']> }) {
  const { t } = useTranslation('users', { keyPrefix: 'import' });
  const text = links.map((l) => `${l.name} <${l.email}>: ${l.link}`).join('\n');
  const [saveError, setSaveError] = useState<string | null>(null);
  const download = () =>
    saveBlob(
      new Blob([toCsv(['name', 'email', 'link'], links.map((l) => [l.name, l.email, l.link]))], { type: 'text/csv' }),
      LINKS_FILE,
    ).catch((e: unknown) => setSaveError(t('saveFailed', { error: errorMessage(e) })));
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" role="note" icon={<IconAlertTriangle size={18} />} title={t('saveLinks')}>
        {t('linksHelp')}
      </Alert>
      <ErrorAlert message={saveError} onClose={() => setSaveError(null)} />
      <Table.ScrollContainer minWidth={600} mah={320}>
        <Table verticalSpacing="xs" withTableBorder aria-label={t('linksLabel')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('name')}</Table.Th>
              <Table.Th>{t('email')}</Table.Th>
              <Table.Th>{t('oneTimeLink')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {links.map((l) => (
              <Table.Tr key={l.email}>
                <Table.Td>{l.name}</Table.Td>
                <Table.Td>{l.email}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  <Text size="sm" ff="monospace">
                    {l.link}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group gap="sm">
        <CopyButton value={text} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              variant="light"
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
            >
              {copied ? t('copied') : t('copyAll')}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={download}>
          {t('downloadCsv')}
        </Button>
      </Group>
    </Stack>
  );
}

/** How a started import is going, and what it gave once it is over. */
function Progressing({ started, onBack, onClose }: { started: ImportJob; onBack: () => void; onClose: () => void }) {
  const { t } = useTranslation('users', { keyPrefix: 'import' });
  const { job, error } = useImportJob(started);
  if (!job) return null;
  const failedRows = job.report?.rows.filter((r) => r.errors.length > 0) ?? [];

  if (job.state === 'running') {
    const percent = job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
    return (
      <Stack gap="sm">
        {error ? (
          <>
            <ErrorAlert title={t('cannotFollow')} message={t('cannotFollowBody', { error: errorMessage(error) })} />
            <Group justify="flex-end">
              <Button onClick={onClose}>{t('close')}</Button>
            </Group>
          </>
        ) : (
          <>
            <Text size="sm" aria-live="polite">
              {t('importing', { done: job.done, count: job.total })}
            </Text>
            <Progress value={percent} size="lg" animated aria-label={t('progressLabel')} />
          </>
        )}
      </Stack>
    );
  }

  if (job.state === 'failed') {
    return (
      <Stack gap="md">
        <ErrorAlert
          title={t('failed')}
          message={job.error?.error.message ?? t('failedNoReason')}
        />
        {failedRows.length > 0 && <ReportTable rows={failedRows} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('close')}
          </Button>
          <Button onClick={onBack}>{t('back')}</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Alert color="teal" variant="light" role="status" icon={<IconCheck size={18} />} title={t('added', { count: job.done })}>
        {job.welcomeQueued ? t('welcomes', { count: job.welcomeQueued }) : t('noWelcomes')}
      </Alert>
      {job.links && job.links.length > 0 && <Links links={job.links} />}
      <Group justify="flex-end">
        <Button onClick={onClose}>{t('done')}</Button>
      </Group>
    </Stack>
  );
}

/**
 * People from a CSV file (or pasted text): checked first (a dry run that writes nothing, every
 * row's problems shown), then imported all or nothing in the background, followed until done.
 */
export function ImportUsersModal({
  opened,
  emailConfigured,
  onClose,
}: {
  opened: boolean;
  emailConfigured: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('users', { keyPrefix: 'import' });
  const check = useCheckImport();
  const start = useStartImport();
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState('');
  const [csvError, setCsvError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [sendWelcome, setSendWelcome] = useState(true);
  const [started, setStarted] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [templateError, setTemplateError] = useState<string | null>(null);
  const running = started?.state === 'running';

  const close = () => {
    setFile(null);
    setCsv('');
    setCsvError(null);
    setReport(null);
    setSendWelcome(true);
    setStarted(null);
    setError(null);
    setTemplateError(null);
    onClose();
  };

  // Any change to the text makes the last check stale.
  const changeCsv = (text: string) => {
    setCsv(text);
    setCsvError(null);
    setReport(null);
  };

  const pickFile = async (f: File | null) => {
    setFile(f);
    if (!f) return;
    try {
      changeCsv(await f.text());
    } catch {
      setCsvError(t('unreadable'));
    }
  };

  const downloadTemplate = async () => {
    setTemplateError(null);
    try {
      await saveBlob(await fetchImportTemplate(), TEMPLATE_FILE);
    } catch (e) {
      setTemplateError(errorMessage(e));
    }
  };

  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.field === 'csv') setCsvError(e.message);
    else setError(errorMessage(e));
  };

  const runCheck = async () => {
    setError(null);
    if (!csv.trim()) {
      setCsvError(t('csvRequired'));
      return;
    }
    try {
      setReport(await check.mutateAsync(csv));
    } catch (e) {
      fail(e);
    }
  };

  const runImport = async () => {
    setError(null);
    try {
      setStarted(await start.mutateAsync({ csv, sendWelcome: emailConfigured && sendWelcome }));
    } catch (e) {
      fail(e);
    }
  };

  const ready = !!report && report.invalid === 0 && report.valid > 0;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('title')}
      size="xl"
      closeOnClickOutside={false}
      // An import under way is followed here: it cannot be dismissed until it is over.
      closeOnEscape={!running}
      withCloseButton={!running}
    >
      {started ? (
        <Progressing
          started={started}
          onClose={close}
          onBack={() => {
            setStarted(null);
            setReport(null);
          }}
        />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void runCheck();
          }}
        >
          <Stack gap="md">
            <ErrorAlert message={error} />
            <Text size="sm">
              <Trans t={t} i18nKey="help" components={{ b: <b /> }} />{' '}
              <Anchor component="button" type="button" size="sm" onClick={downloadTemplate}>
                {t('downloadTemplate')}
              </Anchor>
            </Text>
            <ErrorAlert message={templateError} onClose={() => setTemplateError(null)} />
            <FileInput
              label={t('csvFile')}
              placeholder={t('chooseFile')}
              accept=".csv,text/csv"
              leftSection={<IconFileTypeCsv size={18} />}
              value={file}
              onChange={pickFile}
              clearable
              fileInputProps={{ 'aria-label': t('csvFileLabel') }}
            />
            <Textarea
              label={t('paste')}
              placeholder={'name,email,role,projects,teams\nAda Lovelace,ada@example.com,Staff,Website;Intranet,Design'}
              autosize
              minRows={5}
              maxRows={12}
              value={csv}
              onChange={(e) => changeCsv(e.currentTarget.value)}
              error={csvError}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Group>
              <Button type="submit" variant={report ? 'default' : 'filled'} loading={check.isPending}>
                {t('check')}
              </Button>
            </Group>

            {report && (
              <Stack gap="sm">
                <Counts report={report} />
                {report.invalid > 0 && (
                  <ErrorAlert
                    message={t('fixRows', { count: report.invalid })}
                  />
                )}
                {report.rows.length > 0 && <ReportTable rows={report.rows} />}
                {emailConfigured ? (
                  <Checkbox
                    label={t('sendWelcome')}
                    description={t('sendWelcomeHelp')}
                    checked={sendWelcome}
                    onChange={(e) => setSendWelcome(e.currentTarget.checked)}
                  />
                ) : (
                  <Alert color="gray" variant="light" role="note" icon={<IconMailOff size={18} />}>
                    {t('noEmail')}
                  </Alert>
                )}
              </Stack>
            )}

            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('cancel')}
              </Button>
              <Button onClick={runImport} disabled={!ready} loading={start.isPending}>
                {report && report.valid > 0 ? t('importCount', { count: report.valid }) : t('import')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
