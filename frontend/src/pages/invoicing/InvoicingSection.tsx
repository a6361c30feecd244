import { Alert, Stack, Tabs } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { Suspense, lazy, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { errorMessage, type Me } from '../../api/client';
import { useConfirmCheckout } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { NotAllowed } from '../../components/NotAllowed';
import { PageHeader } from '../../components/PageHeader';
import { formatMoney } from '../../lib/money';
import { can, pageLabel } from '../../lib/permissions';
import { ClientInvoicesPage } from './ClientInvoicesPage';
import { InvoiceDetailsTab } from './InvoiceDetailsTab';
import { InvoicePage } from './InvoicePage';
import { InvoicesTab } from './InvoicesTab';

// The chart library is most of a megabyte: it loads when Revenue is first opened, not with the app.
const RevenueTab = lazy(() => import('./RevenueTab').then((m) => ({ default: m.RevenueTab })));

/** The address parameter the gateway brings a client back with: /#/invoicing?checkout=<session id>. */
export const CHECKOUT_PARAM = 'checkout';

/**
 * Invoicing (/invoicing/*): for the team the invoices, revenue and the invoice details, and
 * one invoice at /invoicing/:id (/invoicing/new for a new one); for a client their own
 * invoices, with paying.
 */
export function InvoicingSection({ me }: { me: Me }) {
  const checkoutNotice = useCheckoutReturn();
  if (me.role.kind === 'client') {
    return (
      <Routes>
        <Route index element={<ClientInvoicesPage me={me} notice={checkoutNotice} />} />
        <Route path="*" element={<Navigate to="/invoicing" replace />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route index element={<TeamInvoicing me={me} tab="invoices" notice={checkoutNotice} />} />
      <Route path="revenue" element={<TeamInvoicing me={me} tab="revenue" />} />
      <Route path="details" element={<TeamInvoicing me={me} tab="details" />} />
      <Route path="new" element={<InvoicePage me={me} />} />
      <Route path=":id" element={<OneInvoice me={me} />} />
    </Routes>
  );
}

/** Another invoice is another page: its form and dialogs start afresh. */
function OneInvoice({ me }: { me: Me }) {
  const { id = '' } = useParams();
  return <InvoicePage key={id} me={me} id={id} />;
}

type TeamTab = 'invoices' | 'revenue' | 'details';

const TAB_PATHS: Record<TeamTab, string> = { invoices: '/invoicing', revenue: '/invoicing/revenue', details: '/invoicing/details' };

function TeamInvoicing({ me, tab, notice }: { me: Me; tab: TeamTab; notice?: ReactNode }) {
  const { t } = useTranslation('invoicing');
  const navigate = useNavigate();
  // Each tab for holders of what it shows (the server refuses the rest anyway).
  const tabs: { value: TeamTab; label: string; shown: boolean }[] = [
    { value: 'invoices', label: t('section.tabs.invoices'), shown: can(me, 'invoices.view') },
    { value: 'revenue', label: t('section.tabs.revenue'), shown: can(me, 'revenue.view') },
    { value: 'details', label: t('section.tabs.details'), shown: can(me, 'invoices.view') },
  ];
  const open = tabs.filter((tb) => tb.shown);
  if (open.length === 0) return <NotAllowed />;
  if (!open.some((tb) => tb.value === tab)) {
    // /invoicing without invoices.view: the first tab this person has.
    if (tab === 'invoices') return <Navigate to={TAB_PATHS[open[0].value]} replace />;
    return <NotAllowed />;
  }
  return (
    <Stack gap="md">
      <PageHeader title={pageLabel(me, 'invoicing') ?? t('section.title')} />
      {notice}
      <Tabs value={tab} onChange={(v) => v && navigate(TAB_PATHS[v as TeamTab])} keepMounted={false}>
        <Tabs.List mb="md">
          {open.map((tb) => (
            <Tabs.Tab key={tb.value} value={tb.value}>
              {tb.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="invoices">
          <InvoicesTab me={me} />
        </Tabs.Panel>
        <Tabs.Panel value="revenue">
          <Suspense fallback={<Loading label={t('revenue.loading')} />}>
            <RevenueTab />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="details">
          <InvoiceDetailsTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/**
 * Back from the gateway (/#/invoicing?checkout=<session id>): asks the server once to
 * confirm the payment with the gateway — it counts only when the gateway says it is paid —
 * takes the parameter out of the address, and says how it went.
 */
function useCheckoutReturn(): ReactNode {
  const { t } = useTranslation('invoicing');
  const [params, setParams] = useSearchParams();
  const sessionId = params.get(CHECKOUT_PARAM);
  const confirm = useConfirmCheckout();
  const asked = useRef<string | null>(null);
  const [dismissed, setDismissed] = useState(false);

  useEffect(() => {
    if (!sessionId || asked.current === sessionId) return;
    asked.current = sessionId;
    setDismissed(false);
    confirm.mutate(sessionId);
    // Reloading the page, or going back to it, does not ask again.
    setParams(
      (p) => {
        const rest = new URLSearchParams(p);
        rest.delete(CHECKOUT_PARAM);
        return rest;
      },
      { replace: true },
    );
    // confirm and setParams are new objects each render; the session id is what matters.
  }, [sessionId]);

  if (confirm.isIdle || dismissed) return null;
  if (confirm.isPending) return <Loading label={t('checkout.confirming')} />;
  if (confirm.isError)
    return <ErrorAlert title={t('checkout.notConfirmed')} message={errorMessage(confirm.error)} onClose={() => setDismissed(true)} />;
  const inv = confirm.data;
  return (
    <Alert
      color="teal"
      icon={<IconCircleCheck size={18} />}
      title={t('checkout.received')}
      withCloseButton
      closeButtonLabel={t('dismiss')}
      onClose={() => setDismissed(true)}
      role="status"
    >
      {inv.status === 'paid'
        ? t('checkout.paidInFull', { number: inv.number })
        : t('checkout.stillOwed', { amount: formatMoney(inv.balance, inv.currency), number: inv.number })}
    </Alert>
  );
}
