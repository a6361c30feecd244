import { Button, EmptyState, Group, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconCreditCard, IconFileDownload, IconFileInvoice } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me } from '../../api/client';
import { useInvoices, useInvoicingSettings, useStartCheckout, type Invoice } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDay } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { allows, useReadOnly } from '../../lib/readOnly';
import { useDownloads } from './downloads';
import { Figure } from './Figure';
import { isOpen } from './invoiceActions';
import { StatusBadge, isIssued } from './status';

/** Leaving the app for the gateway's page (an object, so tests can stand in for the browser's navigation). */
export const gatewayPage = {
  open(url: string) {
    window.location.assign(url);
  },
};

/** Invoiced, paid and outstanding over invoices that count (sent, not void), in minor units. */
export function clientTotals(invoices: readonly Invoice[]): { invoiced: number; paid: number; outstanding: number } {
  const counted = invoices.filter(isIssued);
  return {
    invoiced: counted.reduce((s, i) => s + i.total, 0),
    paid: counted.reduce((s, i) => s + i.paid, 0),
    outstanding: counted.reduce((s, i) => s + Math.max(i.balance, 0), 0),
  };
}

/** A client's invoices (their own company's, sent ones: the server lists no others), with paying. */
export function ClientInvoicesPage({ me, notice }: { me: Me; notice?: ReactNode }) {
  const { t } = useTranslation('invoicing');
  const readOnly = useReadOnly();
  const invoices = useInvoices();
  const settings = useInvoicingSettings();
  const checkout = useStartCheckout();
  const downloads = useDownloads();
  const [payError, setPayError] = useState<string | null>(null);
  const [paying, setPaying] = useState<string | null>(null);

  const header = <PageHeader title={t('client.title')} description={t('client.description')} />;
  if (invoices.isPending)
    return (
      <Stack gap="md">
        {header}
        {notice}
        <Loading label={t('client.loading')} />
      </Stack>
    );
  if (invoices.isError)
    return (
      <Stack gap="md">
        {header}
        {notice}
        <ErrorAlert message={errorMessage(invoices.error)} />
      </Stack>
    );

  // The server lists only the company's own; a portal account names its company too.
  const own = me.user.companyId ? invoices.data.filter((i) => i.companyId === me.user.companyId) : invoices.data;
  const currency = own[0]?.currency ?? me.currency;
  const money = (v: number, c = currency) => formatMoney(v, c);
  const totals = clientTotals(own);
  const gateway = settings.data?.gateway === 'stripe';
  const mayPay = (inv: Invoice) => gateway && isOpen(inv) && allows(inv.actions, 'invoices.pay', readOnly);

  const pay = async (inv: Invoice) => {
    setPayError(null);
    setPaying(inv.id);
    try {
      const { url } = await checkout.mutateAsync(inv.id);
      // Off to the gateway's page; it sends the browser back to /#/invoicing?checkout=<session>.
      gatewayPage.open(url);
    } catch (e) {
      setPayError(t('client.payError', { reason: errorMessage(e) }));
      setPaying(null);
    }
  };

  return (
    <Stack gap="md">
      {header}
      {notice}
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Figure label={t('revenue.invoiced')} value={money(totals.invoiced)} />
        <Figure label={t('totals.paid')} value={money(totals.paid)} />
        <Figure label={t('revenue.outstanding')} value={money(totals.outstanding)} color={totals.outstanding > 0 ? 'orange.8' : undefined} />
      </SimpleGrid>

      {totals.outstanding > 0 && settings.isError && (
        <ErrorAlert message={t('client.howToPayError', { reason: errorMessage(settings.error) })} />
      )}
      {totals.outstanding > 0 && settings.data && !gateway && <HowToPay instructions={settings.data.paymentInstructions} issuer={settings.data.issuerName} />}
      <ErrorAlert message={payError} onClose={() => setPayError(null)} />
      <ErrorAlert message={downloads.error} onClose={downloads.clearError} />

      {own.length === 0 ? (
        <EmptyState
          icon={<IconFileInvoice size={28} />}
          withIndicatorBackground
          title={t('invoicesTab.empty.title')}
          description={t('client.empty')}
          py="xl"
        />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm" aria-label={t('client.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('invoicePage.invoice')}</Table.Th>
                <Table.Th>{t('columns.issued')}</Table.Th>
                <Table.Th>{t('columns.due')}</Table.Th>
                <Table.Th>{t('columns.status')}</Table.Th>
                <Table.Th ta="right">{t('columns.total')}</Table.Th>
                <Table.Th ta="right">{t('columns.balance')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('client.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {own.map((inv) => (
                <Table.Tr key={inv.id}>
                  <Table.Td fw={500}>{inv.number}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(inv.issueDate)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(inv.dueDate)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={inv.status} />
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {money(inv.total, inv.currency)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {inv.status === 'void' ? <Text span c="dimmed" inherit>—</Text> : money(inv.balance, inv.currency)}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      {mayPay(inv) && (
                        <Button
                          size="xs"
                          leftSection={<IconCreditCard size={14} />}
                          onClick={() => pay(inv)}
                          loading={paying === inv.id}
                          aria-label={t('client.payLabel', { number: inv.number })}
                        >
                          {t('client.pay')}
                        </Button>
                      )}
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconFileDownload size={14} />}
                        onClick={() => downloads.pdf(inv)}
                        loading={downloads.busy === `pdf:${inv.id}`}
                        aria-label={t('client.pdfLabel', { number: inv.number })}
                      >
                        {t('client.pdf')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** With no gateway: the organisation's own words on how to pay, or whom to ask. */
function HowToPay({ instructions, issuer }: { instructions: string; issuer: string }) {
  const { t } = useTranslation('invoicing');
  return (
    <Paper withBorder p="md" radius="md" role="region" aria-label={t('client.howToPay')}>
      <Title order={2} size="h5" mb={4}>
        {t('client.howToPay')}
      </Title>
      <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
        {instructions.trim() || t('client.askHowToPay', { issuer: issuer.trim() || t('client.whoInvoicedYou') })}
      </Text>
    </Paper>
  );
}
