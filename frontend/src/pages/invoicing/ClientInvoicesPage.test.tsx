import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { Invoice } from '../../api/invoices';
import { GLOBEX, SETTINGS, changes, clientMe, pathOf, sentInvoice, serveInvoicing, type Answer } from '../../test/invoices';
import { renderWithProviders } from '../../test/render';
import { clientTotals, gatewayPage } from './ClientInvoicesPage';
import { windowPdfMissing } from './downloads';
import { InvoicingSection } from './InvoicingSection';

const PAY = ['invoices.pay'];
/** Acme's invoices as its client sees them: one open, one paid in part, one paid, one void. */
const MINE: Invoice[] = [
  sentInvoice({ actions: PAY }),
  sentInvoice({ id: 'inv-6', number: '2026-0006', status: 'partly_paid', total: 50_000, paid: 10_000, balance: 40_000, actions: PAY }),
  sentInvoice({ id: 'inv-5', number: '2026-0005', status: 'paid', total: 30_000, paid: 30_000, balance: 0, actions: PAY }),
  sentInvoice({ id: 'inv-4', number: '2026-0004', status: 'void', total: 99_900, paid: 0, balance: 99_900, actions: [] }),
];

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

function open({
  invoices = MINE,
  gateway = '',
  paymentInstructions = '',
  issuerName = SETTINGS.issuerName,
  route = '/invoicing',
  window = false,
  answer,
}: {
  invoices?: Invoice[];
  gateway?: '' | 'stripe';
  paymentInstructions?: string;
  issuerName?: string;
  route?: string;
  window?: boolean;
  answer?: (req: Request, path: string) => Answer | undefined;
} = {}) {
  setToken('tok');
  const s = serveInvoicing({ invoices, window, settings: { ...SETTINGS, gateway, paymentInstructions, issuerName, canEdit: false }, answer });
  // In StrictMode, as the app runs: effects run twice on mounting, the session is still confirmed once.
  renderWithProviders(
    <>
      <InvoicingSection me={clientMe()} />
      <Where />
    </>,
    { route, path: '/invoicing/*', strict: true },
  );
  return s;
}

const figure = (label: string) => screen.getByRole('group', { name: label }).textContent;
const rowOf = (number: string) => screen.getByRole('row', { name: new RegExp(number) });

afterEach(() => {
  vi.restoreAllMocks();
  delete (window as { go?: unknown }).go;
});

describe('clientTotals', () => {
  it('adds up sent invoices that are not void', () => {
    expect(clientTotals(MINE)).toEqual({ invoiced: 200_000, paid: 40_000, outstanding: 160_000 });
    expect(clientTotals([])).toEqual({ invoiced: 0, paid: 0, outstanding: 0 });
  });
});

describe('the client view', () => {
  it('shows totals of their own invoices and the list with status and balance', async () => {
    // Another company's invoice, were the server ever to list one, counts nowhere.
    open({ invoices: [...MINE, sentInvoice({ id: 'x', number: '2026-0099', companyId: GLOBEX.id, actions: PAY })] });
    expect(await screen.findByRole('heading', { name: 'Your invoices' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Your invoices' });
    expect(figure('Invoiced')).toContain('€2,000.00');
    expect(figure('Paid')).toContain('€400.00');
    expect(figure('Outstanding')).toContain('€1,600.00');
    expect(within(table).queryByText('2026-0099')).toBeNull();
    expect(within(rowOf('2026-0006')).getByText('Partly paid')).toBeTruthy();
    expect(rowOf('2026-0006').textContent).toContain('€400.00');
    expect(within(rowOf('2026-0004')).getByText('Void')).toBeTruthy();
    // No team tabs, no New invoice.
    expect(screen.queryByRole('tab')).toBeNull();
    expect(screen.queryByRole('button', { name: 'New invoice' })).toBeNull();
  });

  it('with Stripe connected: Pay now on open invoices the server lets them pay, which goes to the gateway', async () => {
    const go = vi.spyOn(gatewayPage, 'open').mockImplementation(() => {});
    const user = userEvent.setup();
    const { calls } = open({
      gateway: 'stripe',
      invoices: [...MINE, sentInvoice({ id: 'inv-3', number: '2026-0003', actions: [] })],
      answer: (_req, path) =>
        path === '/api/invoices/inv-7/checkout' ? { body: { url: 'https://checkout.stripe.test/c/pay/cs_1', sessionId: 'cs_1' } } : undefined,
    });
    await screen.findByRole('table', { name: 'Your invoices' });
    await waitFor(() => expect(screen.getAllByRole('button', { name: /^Pay invoice/ })).toHaveLength(2));
    expect(within(rowOf('2026-0007')).getByRole('button', { name: 'Pay invoice 2026-0007 now' })).toBeTruthy();
    expect(within(rowOf('2026-0006')).getByRole('button', { name: 'Pay invoice 2026-0006 now' })).toBeTruthy();
    // Paid, void, or without invoices.pay in its actions: nothing to pay.
    expect(within(rowOf('2026-0005')).queryByRole('button', { name: /^Pay/ })).toBeNull();
    expect(within(rowOf('2026-0004')).queryByRole('button', { name: /^Pay/ })).toBeNull();
    expect(within(rowOf('2026-0003')).queryByRole('button', { name: /^Pay/ })).toBeNull();
    expect(screen.queryByRole('region', { name: 'How to pay' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Pay invoice 2026-0007 now' }));
    await waitFor(() => expect(go).toHaveBeenCalledWith('https://checkout.stripe.test/c/pay/cs_1'));
    expect(changes(calls)).toEqual(['POST /api/invoices/inv-7/checkout']);
  });

  it("shows the server's refusal to start paying", async () => {
    const go = vi.spyOn(gatewayPage, 'open').mockImplementation(() => {});
    const user = userEvent.setup();
    open({
      gateway: 'stripe',
      answer: (_req, path) =>
        path === '/api/invoices/inv-7/checkout'
          ? { status: 409, body: { error: { code: 'no_return_address', message: 'Paying online works from a browser, not the desktop window.' } } }
          : undefined,
    });
    await user.click(await screen.findByRole('button', { name: 'Pay invoice 2026-0007 now' }));
    expect(await screen.findByText('The payment could not be started: Paying online works from a browser, not the desktop window.')).toBeTruthy();
    expect(go).not.toHaveBeenCalled();
  });

  it('without a gateway: no Pay now, and the payment instructions', async () => {
    open({ paymentInstructions: 'Bank transfer to IBAN DE00 1234 5678.\nQuote the invoice number.' });
    await screen.findByRole('table', { name: 'Your invoices' });
    const how = await screen.findByRole('region', { name: 'How to pay' });
    expect(how.textContent).toContain('Bank transfer to IBAN DE00 1234 5678.');
    expect(screen.queryByRole('button', { name: /^Pay/ })).toBeNull();
  });

  it('without a gateway or instructions: whom to ask', async () => {
    open();
    expect((await screen.findByRole('region', { name: 'How to pay' })).textContent).toContain('Ask Studio North how to pay.');
  });

  it('says nothing of paying when nothing is owed', async () => {
    open({ invoices: [MINE[2]] });
    await screen.findByRole('table', { name: 'Your invoices' });
    await waitFor(() => expect(figure('Outstanding')).toContain('€0.00'));
    expect(screen.queryByRole('region', { name: 'How to pay' })).toBeNull();
  });

  it('says what shows here when there are no invoices', async () => {
    open({ invoices: [] });
    expect(await screen.findByText('No invoices yet')).toBeTruthy();
  });

  it('downloads a PDF with the session in a browser', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    URL.createObjectURL = vi.fn(() => 'blob:pdf');
    URL.revokeObjectURL = vi.fn();
    const user = userEvent.setup();
    const { calls } = open({
      answer: (_req, path) =>
        path === '/api/invoices/inv-7/pdf' ? { text: '%PDF-1.7', headers: { 'Content-Type': 'application/pdf' } } : undefined,
    });
    await user.click(await screen.findByRole('button', { name: 'Download invoice 2026-0007 as PDF' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('invoice-2026-0007.pdf');
    expect(calls.find((c) => pathOf(c) === '/api/invoices/inv-7/pdf')!.headers.get('Authorization')).toBe('Bearer tok');
  });

  it("saves a PDF through the window's binding in the desktop window, and says so when there is none", async () => {
    const user = userEvent.setup();
    (window as { go?: unknown }).go = { main: { App: {} } };
    const { calls } = open({ window: true });
    await user.click(await screen.findByRole('button', { name: 'Download invoice 2026-0007 as PDF' }));
    expect(await screen.findByText(`The PDF could not be saved: ${windowPdfMissing()}`)).toBeTruthy();
    expect(calls.some((c) => pathOf(c).endsWith('/pdf'))).toBe(false);

    const DownloadFrom = vi.fn(async () => '/home/carl/invoice-2026-0006.pdf');
    (window as { go?: unknown }).go = { main: { App: { DownloadFrom } } };
    await user.click(screen.getByRole('button', { name: 'Download invoice 2026-0006 as PDF' }));
    expect(await screen.findByText('Saved to /home/carl/invoice-2026-0006.pdf')).toBeTruthy();
    expect(DownloadFrom).toHaveBeenCalledWith('tok', '/api/invoices/inv-6/pdf', 'invoice-2026-0006.pdf');
  });
});

describe('coming back from the gateway', () => {
  it('confirms the session once, says the payment was received, and clears the address', async () => {
    let confirmed = 0;
    const { calls } = open({
      gateway: 'stripe',
      route: '/invoicing?checkout=cs_test_1',
      answer: (_req, path) => {
        if (path === '/api/checkout/cs_test_1/confirm') {
          confirmed += 1;
          return { body: { ...MINE[0], status: 'paid', paid: 120_000, balance: 0 } };
        }
      },
    });
    const notice = (await screen.findByText('Payment received')).closest('[role="status"]')!;
    expect(notice.textContent).toContain('Invoice 2026-0007 is paid in full.');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/invoicing'));
    expect(confirmed).toBe(1);
    expect(changes(calls)).toEqual(['POST /api/checkout/cs_test_1/confirm']);
    // The list is asked again, with the payment counted.
    await waitFor(() => expect(calls.filter((c) => pathOf(c) === '/api/invoices').length).toBeGreaterThan(1));
  });

  it('shows the invoice paid when the list was first asked before the payment was confirmed', async () => {
    // The page just opened (back from the gateway): its first list request is answered,
    // with the invoice still unpaid, only after the confirmation has come back.
    let release!: () => void;
    const confirmedBack = new Promise<void>((r) => (release = r));
    let lists = 0;
    let paid = false;
    open({
      gateway: 'stripe',
      route: '/invoicing?checkout=cs_test_3',
      answer: (_req, path) => {
        if (path === '/api/checkout/cs_test_3/confirm') {
          paid = true;
          setTimeout(release, 20);
          return { body: { ...MINE[0], status: 'paid', paid: 120_000, balance: 0 } };
        }
        if (path === '/api/invoices') {
          lists += 1;
          const items = paid && lists > 1 ? [{ ...MINE[0], status: 'paid', paid: 120_000, balance: 0 }, ...MINE.slice(1)] : MINE;
          return confirmedBack.then(() => ({ body: { items, next: null } })) as unknown as Answer;
        }
      },
    });
    await screen.findByText('Payment received');
    await waitFor(() => expect(within(rowOf('2026-0007')).getByText('Paid')).toBeTruthy());
  });

  it("shows the server's answer when the gateway has not been paid", async () => {
    open({
      route: '/invoicing?checkout=cs_test_2',
      answer: (_req, path) =>
        path === '/api/checkout/cs_test_2/confirm'
          ? { status: 409, body: { error: { code: 'not_paid', message: 'Stripe has not received this payment (yet).' } } }
          : undefined,
    });
    expect(await screen.findByText('Stripe has not received this payment (yet).')).toBeTruthy();
    expect(screen.getByText('The payment is not confirmed')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/invoicing'));
  });
});
