import { Anchor, Button, EmptyState, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconFileInvoice, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { errorMessage, type Me } from '../../api/client';
import { useCompanies } from '../../api/companies';
import { useInvoices, type InvoiceStatus } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDay } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { STATUSES, StatusBadge, statusLabel } from './status';

const ALL = 'all';

/** The team's invoices, newest first, with a status filter; a row opens its invoice. */
export function InvoicesTab({ me }: { me: Me }) {
  const { t } = useTranslation('invoicing');
  const readOnly = useReadOnly();
  const navigate = useNavigate();
  const invoices = useInvoices();
  const companies = useCompanies();
  const [status, setStatus] = useState<string>(ALL);
  const mayCreate = !readOnly && can(me, 'invoices.create');
  const companyName = (id: string) => companies.data?.find((c) => c.id === id)?.name ?? (companies.isPending ? '…' : t('aClientCompany'));

  if (invoices.isPending) return <Loading label={t('invoicesTab.loading')} />;
  if (invoices.isError) return <ErrorAlert message={errorMessage(invoices.error)} />;
  const all = invoices.data;
  const rows = status === ALL ? all : all.filter((i) => i.status === status);
  const newButton = mayCreate && (
    <Button leftSection={<IconPlus size={18} />} onClick={() => navigate('/invoicing/new')}>
      {t('invoicesTab.new')}
    </Button>
  );

  if (all.length === 0) {
    return (
      <EmptyState
        icon={<IconFileInvoice size={28} />}
        withIndicatorBackground
        title={t('invoicesTab.empty.title')}
        description={
          mayCreate
            ? t('invoicesTab.empty.mayCreate')
            : t('invoicesTab.empty.others')
        }
        py="xl"
      >
        {newButton && <Group mt="md">{newButton}</Group>}
      </EmptyState>
    );
  }

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('invoicesTab.status')}
          data={[{ value: ALL, label: t('invoicesTab.allStatuses') }, ...STATUSES.map((value) => ({ value, label: statusLabel(value) }))]}
          value={status}
          onChange={(v) => setStatus(v ?? ALL)}
          allowDeselect={false}
          w={200}
        />
        <Text size="sm" c="dimmed" aria-live="polite">
          {status === ALL ? t('invoicesTab.count', { count: all.length }) : t('invoicesTab.countOf', { shown: rows.length, count: all.length })}
        </Text>
        {newButton && <Group ml="auto">{newButton}</Group>}
      </Group>
      {companies.isError && <ErrorAlert message={t('invoicesTab.companiesError', { reason: errorMessage(companies.error) })} />}
      {rows.length === 0 ? (
        <EmptyState
          icon={<IconFileInvoice size={28} />}
          withIndicatorBackground
          title={t(`invoicesTab.noneWithStatus.${status as InvoiceStatus}`)}
          description={t('invoicesTab.noneWithStatusHint')}
          py="xl"
        />
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label={t('invoicesTab.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('columns.number')}</Table.Th>
                <Table.Th>{t('columns.clientCompany')}</Table.Th>
                <Table.Th>{t('columns.status')}</Table.Th>
                <Table.Th>{t('columns.issued')}</Table.Th>
                <Table.Th>{t('columns.due')}</Table.Th>
                <Table.Th ta="right">{t('columns.total')}</Table.Th>
                <Table.Th ta="right">{t('columns.balance')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((inv) => {
                const money = (v: number) => formatMoney(v, inv.currency);
                return (
                  <Table.Tr key={inv.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/invoicing/${inv.id}`)}>
                    <Table.Td>
                      {/* The link is what the keyboard and screen readers use; the row's click is a shortcut. */}
                      <Anchor component={Link} to={`/invoicing/${inv.id}`} fw={500} inherit onClick={(e) => e.stopPropagation()}>
                        {inv.number || statusLabel('draft')}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{companyName(inv.companyId)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={inv.status} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{inv.issueDate ? formatDay(inv.issueDate) : '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{inv.dueDate ? formatDay(inv.dueDate) : '—'}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {money(inv.total)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {inv.status === 'draft' || inv.status === 'void' ? <Text span c="dimmed" inherit>—</Text> : money(inv.balance)}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
