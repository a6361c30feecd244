import { Anchor, Button, EmptyState, Group, Select, Stack, Table, Text } from '@mantine/core';
import { IconFileInvoice, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { errorMessage, type Me } from '../../api/client';
import { useCompanies } from '../../api/companies';
import { useInvoices, type InvoiceStatus } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDay, plural } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { can } from '../../lib/permissions';
import { useReadOnly } from '../../lib/readOnly';
import { STATUS_LABELS, StatusBadge } from './status';

const ALL = 'all';

/** The team's invoices, newest first, with a status filter; a row opens its invoice. */
export function InvoicesTab({ me }: { me: Me }) {
  const readOnly = useReadOnly();
  const navigate = useNavigate();
  const invoices = useInvoices();
  const companies = useCompanies();
  const [status, setStatus] = useState<string>(ALL);
  const mayCreate = !readOnly && can(me, 'invoices.create');
  const companyName = (id: string) => companies.data?.find((c) => c.id === id)?.name ?? (companies.isPending ? '…' : 'A client company');

  if (invoices.isPending) return <Loading label="Loading invoices…" />;
  if (invoices.isError) return <ErrorAlert message={errorMessage(invoices.error)} />;
  const all = invoices.data;
  const rows = status === ALL ? all : all.filter((i) => i.status === status);
  const newButton = mayCreate && (
    <Button leftSection={<IconPlus size={18} />} onClick={() => navigate('/invoicing/new')}>
      New invoice
    </Button>
  );

  if (all.length === 0) {
    return (
      <EmptyState
        icon={<IconFileInvoice size={28} />}
        withIndicatorBackground
        title="No invoices yet"
        description={
          mayCreate
            ? 'Start with New invoice: choose the client company, add what you did as lines, save the draft, then send it.'
            : 'Invoices show here once someone who makes them creates one.'
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
          label="Status"
          data={[{ value: ALL, label: 'All statuses' }, ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))]}
          value={status}
          onChange={(v) => setStatus(v ?? ALL)}
          allowDeselect={false}
          w={200}
        />
        <Text size="sm" c="dimmed" aria-live="polite">
          {status === ALL ? plural(all.length, 'invoice') : `${rows.length} of ${plural(all.length, 'invoice')}`}
        </Text>
        {newButton && <Group ml="auto">{newButton}</Group>}
      </Group>
      {companies.isError && <ErrorAlert message={`Company names could not be loaded: ${errorMessage(companies.error)}`} />}
      {rows.length === 0 ? (
        <EmptyState
          icon={<IconFileInvoice size={28} />}
          withIndicatorBackground
          title={`No ${STATUS_LABELS[status as InvoiceStatus].toLowerCase()} invoices`}
          description="Choose another status, or All statuses."
          py="xl"
        />
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Invoices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Number</Table.Th>
                <Table.Th>Client company</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Issued</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th ta="right">Balance</Table.Th>
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
                        {inv.number || 'Draft'}
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
