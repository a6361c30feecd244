import { Stack, Tabs } from '@mantine/core';
import { Suspense, lazy } from 'react';
import { Navigate, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import type { Me } from '../../api/client';
import { Loading } from '../../components/Loading';
import { NotAllowed } from '../../components/NotAllowed';
import { PageHeader } from '../../components/PageHeader';
import { can, pageLabel } from '../../lib/permissions';
import { InvoiceDetailsTab } from './InvoiceDetailsTab';
import { InvoicePage } from './InvoicePage';
import { InvoicesTab } from './InvoicesTab';

// The chart library is most of a megabyte: it loads when Revenue is first opened, not with the app.
const RevenueTab = lazy(() => import('./RevenueTab').then((m) => ({ default: m.RevenueTab })));

/**
 * Invoicing (/invoicing/*): for the team the invoices, revenue and the invoice details, and
 * one invoice at /invoicing/:id (/invoicing/new for a new one).
 */
export function InvoicingSection({ me }: { me: Me }) {
  return (
    <Routes>
      <Route index element={<TeamInvoicing me={me} tab="invoices" />} />
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

function TeamInvoicing({ me, tab }: { me: Me; tab: TeamTab }) {
  const navigate = useNavigate();
  // Each tab for holders of what it shows (the server refuses the rest anyway).
  const tabs: { value: TeamTab; label: string; shown: boolean }[] = [
    { value: 'invoices', label: 'Invoices', shown: can(me, 'invoices.view') },
    { value: 'revenue', label: 'Revenue', shown: can(me, 'revenue.view') },
    { value: 'details', label: 'Invoice details', shown: can(me, 'invoices.view') },
  ];
  const open = tabs.filter((t) => t.shown);
  if (open.length === 0) return <NotAllowed />;
  if (!open.some((t) => t.value === tab)) {
    // /invoicing without invoices.view: the first tab this person has.
    if (tab === 'invoices') return <Navigate to={TAB_PATHS[open[0].value]} replace />;
    return <NotAllowed />;
  }
  return (
    <Stack gap="md">
      <PageHeader title={pageLabel(me, 'invoicing' as Me['nav'][number]['key']) ?? 'Invoicing'} />
      <Tabs value={tab} onChange={(v) => v && navigate(TAB_PATHS[v as TeamTab])} keepMounted={false}>
        <Tabs.List mb="md">
          {open.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="invoices">
          <InvoicesTab me={me} />
        </Tabs.Panel>
        <Tabs.Panel value="revenue">
          <Suspense fallback={<Loading label="Loading revenue…" />}>
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
