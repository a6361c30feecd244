import { Alert, Anchor, Breadcrumbs, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconBan, IconCash, IconDeviceFloppy, IconFileDownload, IconMailCheck, IconSend, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, errorMessage, type Me } from '../../api/client';
import { useCompanies } from '../../api/companies';
import {
  useCreateInvoice,
  useDeleteInvoice,
  useInvoice,
  usePayments,
  useSendInvoice,
  useUpdateInvoice,
  useVoidInvoice,
  type Invoice,
  type SentInvoice,
} from '../../api/invoices';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDay } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { can, pageLabel } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { useDownloads } from './downloads';
import { Figure } from './Figure';
import { RecordPaymentModal } from './InvoiceDialogs';
import { invoiceButtons, type InvoiceButtons } from './invoiceActions';
import { emptyForm, formFromInvoice, serverErrorPath, toRequest, validateInvoice, type InvoiceFormValues } from './invoiceForm';
import { LinesEditor, TotalsPreview } from './LinesEditor';
import { StatusBadge, invoiceName, methodLabel } from './status';
import { MAX_NOTES, formatTaxRate, invoiceTotals, lineAmount, quantityText } from './totals';

/** An invoice (/invoicing/:id), or a new one (/invoicing/new, without `id`). */
export function InvoicePage({ me, id }: { me: Me; id?: string }) {
  const { t } = useTranslation('invoicing');
  const invoice = useInvoice(id ?? '', !!id);
  const section = pageLabel(me, 'invoicing') ?? t('section.title');
  const crumbs = (name: string) => (
    <nav aria-label={t('invoicePage.breadcrumb')}>
      <Breadcrumbs>
        <Anchor component={Link} to="/invoicing">
          {section}
        </Anchor>
        <Text aria-current="page">{name}</Text>
      </Breadcrumbs>
    </nav>
  );
  if (!id) {
    return (
      <Stack gap="md">
        {crumbs(t('invoicePage.new'))}
        <InvoiceView me={me} invoice={null} />
      </Stack>
    );
  }
  if (invoice.isPending) return <Loading label={t('invoicePage.loading')} />;
  if (invoice.isError) {
    const hidden = invoice.error instanceof ApiError && invoice.error.status === 404;
    return (
      <Stack gap="md">
        {crumbs(t('invoicePage.invoice'))}
        <ErrorAlert message={hidden ? t('invoicePage.notFound') : errorMessage(invoice.error)} />
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      {crumbs(invoiceName(invoice.data))}
      <InvoiceView me={me} invoice={invoice.data} />
    </Stack>
  );
}

type Dialog = 'send' | 'delete' | 'void' | 'payment' | null;

function InvoiceView({ me, invoice }: { me: Me; invoice: Invoice | null }) {
  const { t } = useTranslation('invoicing');
  const readOnly = useReadOnly();
  const navigate = useNavigate();
  const currency = invoice?.currency ?? me.currency;
  const buttons: InvoiceButtons = invoice
    ? invoiceButtons(invoice, readOnly)
    : { save: !readOnly && can(me, 'invoices.create'), send: false, deleteDraft: false, void: false, recordPayment: false, payments: false, pdf: false };
  const editing = buttons.save;
  const companies = useCompanies(me.role.kind !== 'client');
  const companyName = (cid: string) => companies.data?.find((c) => c.id === cid)?.name;

  const create = useCreateInvoice();
  const update = useUpdateInvoice();
  const send = useSendInvoice();
  const voidIt = useVoidInvoice();
  const del = useDeleteInvoice();
  const downloads = useDownloads();
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [dialogError, setDialogError] = useState<{ message: string; details?: boolean } | null>(null);
  const [sent, setSent] = useState<SentInvoice | null>(null);
  const open = (d: Dialog) => {
    setDialogError(null);
    setDialog(d);
  };

  const form = useForm<InvoiceFormValues>({
    mode: 'controlled',
    initialValues: invoice ? formFromInvoice(invoice) : emptyForm(),
    validate: (values) => validateInvoice(values, currency),
  });

  /** Saves the form; the invoice as saved, or null when a mistake is shown instead. */
  const save = async (): Promise<Invoice | null> => {
    setError(null);
    if (form.validate().hasErrors) return null;
    const { body, rowOf } = toRequest(form.getValues(), currency);
    try {
      const saved = invoice ? await update.mutateAsync({ id: invoice.id, body }) : await create.mutateAsync(body);
      form.resetDirty();
      return saved;
    } catch (e) {
      const path = e instanceof ApiError ? serverErrorPath(e.field, rowOf) : null;
      if (path) form.setFieldError(path, errorMessage(e));
      else setError(errorMessage(e));
      return null;
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await save();
    if (!saved) return;
    notifications.show({ color: 'teal', message: invoice ? t('invoicePage.draftSaved') : t('invoicePage.draftCreated') });
    if (!invoice) navigate(`/invoicing/${saved.id}`, { replace: true });
  };

  const confirmSend = async () => {
    if (!invoice) return;
    setDialogError(null);
    if (form.isDirty()) {
      // What is sent is what the server holds: unsaved changes go first.
      const saved = await save();
      if (!saved) {
        setDialog(null);
        return;
      }
    }
    try {
      const answer = await send.mutateAsync(invoice.id);
      setSent(answer);
      setDialog(null);
    } catch (e) {
      const field = e instanceof ApiError ? e.field : undefined;
      if (field === 'lines') {
        form.setFieldError('lines', errorMessage(e));
        setDialog(null);
        return;
      }
      setDialogError({ message: errorMessage(e), details: field?.startsWith('issuer') });
    }
  };

  const confirmVoid = async () => {
    if (!invoice) return;
    setDialogError(null);
    try {
      await voidIt.mutateAsync(invoice.id);
      setSent(null);
      notifications.show({ color: 'teal', message: t('invoicePage.voided', { invoice: invoiceName(invoice) }) });
      setDialog(null);
    } catch (e) {
      setDialogError({ message: errorMessage(e) });
    }
  };

  const confirmDelete = async () => {
    if (!invoice) return;
    setDialogError(null);
    try {
      await del.mutateAsync(invoice.id);
      notifications.show({ color: 'teal', message: t('invoicePage.draftDeleted') });
      navigate('/invoicing');
    } catch (e) {
      setDialogError({ message: errorMessage(e) });
    }
  };

  const companyLabel = invoice ? (companyName(invoice.companyId) ?? (companies.isPending ? '…' : t('aClientCompany'))) : '';
  const companyOptions = (companies.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  // The invoice's own company stays shown even when the list does not have it.
  if (invoice && !companyOptions.some((o) => o.value === invoice.companyId)) {
    companyOptions.push({ value: invoice.companyId, label: companyLabel });
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1}>{invoice ? invoiceName(invoice) : t('invoicePage.new')}</Title>
            {invoice && <StatusBadge status={invoice.status} />}
          </Group>
          {invoice && !editing && <Text c="dimmed">{companyLabel}</Text>}
        </Stack>
        {invoice && (
          <Group gap="xs">
            {buttons.send && (
              <Button leftSection={<IconSend size={16} />} onClick={() => open('send')}>
                {t('invoicePage.actions.send')}
              </Button>
            )}
            {buttons.recordPayment && (
              <Button leftSection={<IconCash size={16} />} onClick={() => open('payment')}>
                {t('invoicePage.actions.recordPayment')}
              </Button>
            )}
            <Button
              variant="default"
              leftSection={<IconFileDownload size={16} />}
              onClick={() => downloads.pdf(invoice)}
              loading={downloads.busy === `pdf:${invoice.id}`}
            >
              {t('invoicePage.actions.downloadPdf')}
            </Button>
            {buttons.void && (
              <Button variant="outline" color="red" leftSection={<IconBan size={16} />} onClick={() => open('void')}>
                {t('invoicePage.actions.void')}
              </Button>
            )}
            {buttons.deleteDraft && (
              <Button variant="outline" color="red" leftSection={<IconTrash size={16} />} onClick={() => open('delete')}>
                {t('invoicePage.actions.deleteDraft')}
              </Button>
            )}
          </Group>
        )}
      </Group>

      {sent && (
        <Alert color="teal" icon={<IconMailCheck size={18} />} title={t('invoicePage.sent.title', { number: sent.number })} withCloseButton closeButtonLabel={t('dismiss')} onClose={() => setSent(null)} role="status">
          {sent.mailedTo.length > 0
            ? t('invoicePage.sent.mailedTo', { people: sent.mailedTo.join(', ') })
            : t('invoicePage.sent.nobodyMailed')}
        </Alert>
      )}
      <ErrorAlert message={downloads.error} onClose={downloads.clearError} />
      <ErrorAlert message={error} onClose={() => setError(null)} />

      {editing ? (
        <form onSubmit={submit} noValidate aria-label={invoice ? t('invoicePage.form.editLabel') : t('invoicePage.new')}>
          <Stack gap="md">
            {companies.isError && <ErrorAlert message={t('invoicePage.form.companiesError', { reason: errorMessage(companies.error) })} />}
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <Select
                label={t('columns.clientCompany')}
                placeholder={companies.isPending ? t('loading') : t('invoicePage.form.chooseCompany')}
                data={companyOptions}
                searchable
                nothingFoundMessage={t('invoicePage.form.noCompany')}
                allowDeselect={false}
                withAsterisk
                {...form.getInputProps('companyId')}
              />
              <TextInput
                label={t('invoicePage.form.dueDate')}
                type="date"
                description={t('invoicePage.form.dueDateHint')}
                {...form.getInputProps('dueDate')}
              />
            </SimpleGrid>
            <LinesEditor form={form} currency={currency} />
            <Textarea
              label={t('invoicePage.form.notes')}
              description={t('invoicePage.form.notesHint')}
              autosize
              minRows={2}
              maxLength={MAX_NOTES}
              {...form.getInputProps('notes')}
            />
            <Group>
              <Button type="submit" leftSection={<IconDeviceFloppy size={16} />} loading={create.isPending || update.isPending}>
                {t('invoicePage.form.saveDraft')}
              </Button>
              {invoice && form.isDirty() && (
                <Text size="sm" c="dimmed">
                  {t('invoicePage.form.unsaved')}
                </Text>
              )}
            </Group>
          </Stack>
        </form>
      ) : invoice ? (
        <InvoiceSummary invoice={invoice} />
      ) : (
        <ErrorAlert message={t('invoicePage.roleCannotCreate')} />
      )}

      {invoice && buttons.payments && <PaymentHistory invoice={invoice} />}

      {invoice && (
        <>
          <ConfirmModal
            opened={dialog === 'send'}
            title={t('invoicePage.sendConfirm.title')}
            confirmLabel={form.isDirty() ? t('invoicePage.sendConfirm.saveAndSend') : t('invoicePage.sendConfirm.send')}
            confirmColor="blue"
            onClose={() => setDialog(null)}
            onConfirm={confirmSend}
            loading={send.isPending || update.isPending}
            error={dialogError?.message}
          >
            {dialogError?.details && (
              <Anchor component={Link} to="/invoicing/details" size="sm">
                {t('invoicePage.sendConfirm.fillDetails')}
              </Anchor>
            )}
            <Text size="sm">{t('invoicePage.sendConfirm.body', { company: companyLabel || t('theClientCompany') })}</Text>
            {form.isDirty() && <Text size="sm">{t('invoicePage.sendConfirm.savedFirst')}</Text>}
          </ConfirmModal>
          <ConfirmModal
            opened={dialog === 'void'}
            title={t('invoicePage.voidConfirm.title')}
            confirmLabel={t('invoicePage.voidConfirm.confirm')}
            onClose={() => setDialog(null)}
            onConfirm={confirmVoid}
            loading={voidIt.isPending}
            error={dialogError?.message}
          >
            <Text size="sm">
              {t('invoicePage.voidConfirm.body', { invoice: invoiceName(invoice), amount: formatMoney(invoice.total, currency) })}
            </Text>
          </ConfirmModal>
          <ConfirmModal
            opened={dialog === 'delete'}
            title={t('invoicePage.deleteConfirm.title')}
            confirmLabel={t('invoicePage.actions.deleteDraft')}
            onClose={() => setDialog(null)}
            onConfirm={confirmDelete}
            loading={del.isPending}
            error={dialogError?.message}
          >
            <Text size="sm">{t('invoicePage.deleteConfirm.body', { company: companyLabel || t('theClientCompany') })}</Text>
          </ConfirmModal>
          {buttons.recordPayment && <RecordPaymentModal invoice={invoice} opened={dialog === 'payment'} onClose={() => setDialog(null)} />}
        </>
      )}
    </Stack>
  );
}

/** A sent (or not editable) invoice as it stands: dates, lines, the server's totals, notes. */
function InvoiceSummary({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('invoicing');
  const money = (v: number) => formatMoney(v, invoice.currency);
  const lines = invoice.lines ?? [];
  const extra = invoice.status === 'draft' ? [] : [
    { label: t('totals.paid'), value: invoice.paid },
    { label: t('totals.balanceDue'), value: invoice.status === 'void' ? 0 : invoice.balance, strong: true },
  ];
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Figure label={t('columns.issued')} value={invoice.issueDate ? formatDay(invoice.issueDate) : t('invoicePage.summary.notYet')} />
        <Figure label={t('columns.due')} value={invoice.dueDate ? formatDay(invoice.dueDate) : t('invoicePage.summary.dueAfterSending')} />
        <Figure label={t('columns.total')} value={money(invoice.total)} />
        <Figure label={t('columns.balance')} value={invoice.status === 'void' ? '—' : money(invoice.balance)} />
      </SimpleGrid>
      {lines.length === 0 ? (
        <Text c="dimmed">{t('invoicePage.summary.noLines')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" aria-label={t('lines.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lines.description')}</Table.Th>
                <Table.Th ta="right">{t('lines.quantity')}</Table.Th>
                <Table.Th ta="right">{t('lines.unitPrice')}</Table.Th>
                <Table.Th ta="right">{t('totals.tax')}</Table.Th>
                <Table.Th ta="right">{t('lines.amount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{l.description}</Table.Td>
                  <Table.Td ta="right">{quantityText(l.quantityMilli)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {money(l.unitPrice)}
                  </Table.Td>
                  <Table.Td ta="right">{formatTaxRate(l.taxRateBP)}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {money(lineAmount(l))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="flex-end">
        <TotalsPreview totals={{ ...invoice, taxByRate: invoiceTotals(lines).taxByRate }} money={money} extra={extra} />
      </Group>
      {invoice.notes && (
        <div>
          <Text size="sm" fw={600}>
            {t('invoicePage.form.notes')}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {invoice.notes}
          </Text>
        </div>
      )}
    </Stack>
  );
}

/** The payments received on an invoice (payments.view). */
function PaymentHistory({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation('invoicing');
  const payments = usePayments(invoice.id);
  const money = (v: number) => formatMoney(v, invoice.currency);
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('payments.title')}
      </Title>
      {payments.isPending ? (
        <Loading label={t('payments.loading')} />
      ) : payments.isError ? (
        <ErrorAlert message={errorMessage(payments.error)} />
      ) : payments.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('payments.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs" aria-label={t('payments.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('payments.receivedOn')}</Table.Th>
                <Table.Th>{t('payments.method')}</Table.Th>
                <Table.Th>{t('payments.reference')}</Table.Th>
                <Table.Th ta="right">{t('lines.amount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {payments.data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={p.receivedOn}>{formatDay(p.receivedOn)}</time>
                  </Table.Td>
                  <Table.Td>{methodLabel(p.method)}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{p.reference || <Text span c="dimmed" inherit>—</Text>}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {money(p.amount)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            {payments.data.length > 1 && (
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th colSpan={3}>{t('payments.count', { count: payments.data.length })}</Table.Th>
                  <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {money(payments.data.reduce((s, p) => s + p.amount, 0))}
                  </Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            )}
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
