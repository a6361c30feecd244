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
import { plural } from '../../lib/format';

export const TEMPLATE_FILE = 'gatehouse-users.csv';
export const LINKS_FILE = 'gatehouse-set-password-links.csv';

const people = (n: number) => plural(n, 'person', 'people');

/** One row per CSV row, its problems in red beside it. */
function ReportTable({ rows }: { rows: ImportRow[] }) {
  return (
    <Table.ScrollContainer minWidth={760} mah={360}>
      <Table verticalSpacing="xs" withTableBorder aria-label="Rows of the CSV" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Line</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Projects</Table.Th>
            <Table.Th>Teams</Table.Th>
            <Table.Th>Check</Table.Th>
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
                      Ready
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
  return (
    <Group gap="xs" aria-label="Check result">
      <Badge variant="light" color="gray" tt="none">
        {plural(report.rows.length, 'row')}
      </Badge>
      <Badge variant="light" color="teal" tt="none">
        {report.valid} ready
      </Badge>
      <Badge variant="light" color={report.invalid > 0 ? 'red' : 'gray'} tt="none">
        {report.invalid} with errors
      </Badge>
    </Group>
  );
}

/** The one-time set-password links of an import done without email: shown once, here. */
function Links({ links }: { links: NonNullable<ImportJob['links']> }) {
  const text = links.map((l) => `${l.name} <${l.email}>: ${l.link}`).join('\n');
  const [saveError, setSaveError] = useState<string | null>(null);
  const download = () =>
    saveBlob(
      new Blob([toCsv(['name', 'email', 'link'], links.map((l) => [l.name, l.email, l.link]))], { type: 'text/csv' }),
      LINKS_FILE,
    ).catch((e: unknown) => setSaveError(`The file could not be saved: ${errorMessage(e)}`));
  return (
    <Stack gap="sm">
      <Alert color="yellow" variant="light" role="note" icon={<IconAlertTriangle size={18} />} title="Save these links now">
        No welcome emails went out, so hand each person their link yourself. The links are shown once, here only, and
        each works once, within 72 hours.
      </Alert>
      <ErrorAlert message={saveError} onClose={() => setSaveError(null)} />
      <Table.ScrollContainer minWidth={600} mah={320}>
        <Table verticalSpacing="xs" withTableBorder aria-label="Set-password links">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>One-time set-password link</Table.Th>
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
              {copied ? 'Copied' : 'Copy all'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={download}>
          Download as CSV
        </Button>
      </Group>
    </Stack>
  );
}

/** How a started import is going, and what it gave once it is over. */
function Progressing({ started, onBack, onClose }: { started: ImportJob; onBack: () => void; onClose: () => void }) {
  const { job, error } = useImportJob(started);
  if (!job) return null;
  const failedRows = job.report?.rows.filter((r) => r.errors.length > 0) ?? [];

  if (job.state === 'running') {
    const percent = job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
    return (
      <Stack gap="sm">
        {error ? (
          <>
            <ErrorAlert title="Cannot follow the import" message={`${errorMessage(error)} It may still finish: the user list shows who was added.`} />
            <Group justify="flex-end">
              <Button onClick={onClose}>Close</Button>
            </Group>
          </>
        ) : (
          <>
            <Text size="sm" aria-live="polite">
              Importing… {job.done} of {people(job.total)}
            </Text>
            <Progress value={percent} size="lg" animated aria-label="Import progress" />
          </>
        )}
      </Stack>
    );
  }

  if (job.state === 'failed') {
    return (
      <Stack gap="md">
        <ErrorAlert
          title="The import failed; nobody was added"
          message={job.error?.error.message ?? 'The import stopped without a reason. Check the rows and try again.'}
        />
        {failedRows.length > 0 && <ReportTable rows={failedRows} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button onClick={onBack}>Back to the CSV</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Alert color="teal" variant="light" role="status" icon={<IconCheck size={18} />} title={`${people(job.done)} added`}>
        {job.welcomeQueued ? `${plural(job.welcomeQueued, 'welcome email')} on the way.` : 'No welcome emails were sent.'}
      </Alert>
      {job.links && job.links.length > 0 && <Links links={job.links} />}
      <Group justify="flex-end">
        <Button onClick={onClose}>Done</Button>
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
      setCsvError('This file cannot be read. Save it as CSV (UTF-8) and choose it again.');
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
      setCsvError('Choose a CSV file or paste its text');
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
      title="Import people from CSV"
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
              One row per person, with the columns name, email, role, projects and teams (several projects or teams
              separated by <b>;</b>). Roles, projects and teams are named as they are in Gatehouse.{' '}
              <Anchor component="button" type="button" size="sm" onClick={downloadTemplate}>
                Download template
              </Anchor>
            </Text>
            <ErrorAlert message={templateError} onClose={() => setTemplateError(null)} />
            <FileInput
              label="CSV file"
              placeholder="Choose a file"
              accept=".csv,text/csv"
              leftSection={<IconFileTypeCsv size={18} />}
              value={file}
              onChange={pickFile}
              clearable
              fileInputProps={{ 'aria-label': 'CSV file to upload' }}
            />
            <Textarea
              label="Or paste the CSV here"
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
                Check
              </Button>
            </Group>

            {report && (
              <Stack gap="sm">
                <Counts report={report} />
                {report.invalid > 0 && (
                  <ErrorAlert
                    message={`Fix ${report.invalid === 1 ? 'the row' : 'the rows'} marked in red in your file, then check again. Nobody is imported until every row is right.`}
                  />
                )}
                {report.rows.length > 0 && <ReportTable rows={report.rows} />}
                {emailConfigured ? (
                  <Checkbox
                    label="Send each person a welcome email"
                    description="With a link to choose their own password; it works once, within 72 hours. Without it, you get each person's link here, to hand over yourself."
                    checked={sendWelcome}
                    onChange={(e) => setSendWelcome(e.currentTarget.checked)}
                  />
                ) : (
                  <Alert color="gray" variant="light" role="note" icon={<IconMailOff size={18} />}>
                    Email is not set up (Settings → Email): after the import you get a one-time set-password link for each
                    person, to hand over yourself.
                  </Alert>
                )}
              </Stack>
            )}

            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button onClick={runImport} disabled={!ready} loading={start.isPending}>
                {report && report.valid > 0 ? `Import ${people(report.valid)}` : 'Import'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
