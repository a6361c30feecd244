import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { Revenue } from '../../api/invoices';
import { SETTINGS, changes, pathOf, serveInvoicing, teamMe, type Answer } from '../../test/invoices';
import { errorOf, renderWithProviders } from '../../test/render';
import { InvoicingSection } from './InvoicingSection';
import { periodMonths } from './RevenueTab';

const REVENUE: Revenue = {
  currency: 'EUR',
  from: '2026-09',
  to: '2026-11',
  months: [
    { month: '2026-09', invoiced: 120_000, paid: 0, outstanding: 150_000 },
    { month: '2026-10', invoiced: 0, paid: 100_000, outstanding: 50_000 },
    { month: '2026-11', invoiced: 50_000, paid: 20_000, outstanding: 80_000 },
  ],
  clients: [
    { companyId: 'c-acme', name: 'Acme Corp', invoiced: 120_000, paid: 100_000, balance: 20_000 },
    { name: 'A client company', invoiced: 50_000, paid: 20_000, balance: 30_000 },
  ],
};

const CSV = 'month,client,currency,invoiced_minor_units,paid_minor_units\r\n2026-09,Acme Corp,EUR,120000,0\r\n';

function open(route: string, keys: string[], answer?: (req: Request, path: string) => Answer | undefined, window = false) {
  setToken('tok');
  const s = serveInvoicing({
    window,
    answer: (req, path) => {
      const own = answer?.(req, path);
      if (own) return own;
      if (path === '/api/revenue') return { body: REVENUE };
      if (path === '/api/revenue.csv') return { text: CSV, headers: { 'Content-Type': 'text/csv; charset=utf-8' } };
    },
  });
  renderWithProviders(<InvoicingSection me={teamMe(keys)} />, { route, path: '/invoicing/*' });
  return s;
}

/** jsdom's Blob has no text(). */
const readText = (b: Blob) =>
  new Promise<string>((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.readAsText(b);
  });

const figure = (label: string) => screen.getByRole('group', { name: label }).textContent;

afterEach(() => {
  delete (window as { go?: unknown }).go;
});

describe('the revenue tab', () => {
  it('shows the totals, the months as a table behind the chart, and each client', async () => {
    const { calls } = open('/invoicing/revenue', ['invoices.view', 'revenue.view']);
    const byClient = await screen.findByRole('table', { name: 'Revenue by client' });
    expect(figure('Invoiced')).toContain('€1,700.00');
    expect(figure('Paid')).toContain('€1,200.00');
    expect(figure('Outstanding')).toContain('€500.00');
    expect(within(byClient).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'Client companyInvoicedPaidOwes now',
      'Acme Corp€1,200.00€1,000.00€200.00',
      'A client company€500.00€200.00€300.00',
      'Total€1,700.00€1,200.00€500.00',
    ]);
    const months = screen.getByRole('table', { name: 'Invoiced, paid and owed by month' });
    expect(within(months).getAllByRole('row')).toHaveLength(4);
    expect(within(months).getAllByRole('row')[1].textContent).toContain('€1,200.00€0.00€1,500.00');
    // The last twelve months, asked for by name so the CSV covers the same.
    const asked = new URL(calls.find((c) => pathOf(c) === '/api/revenue')!.url).searchParams;
    expect({ from: asked.get('from'), to: asked.get('to') }).toEqual(periodMonths('last12'));
    expect(screen.getByRole('tab', { name: 'Revenue', selected: true })).toBeTruthy();
  });

  it('asks for another period', async () => {
    const user = userEvent.setup();
    const { calls } = open('/invoicing/revenue', ['revenue.view']);
    await screen.findByRole('table', { name: 'Revenue by client' });
    await user.click(screen.getAllByLabelText('Period').find((el) => el.tagName === 'INPUT')!);
    await user.click(await screen.findByRole('option', { name: 'Last year' }));
    const y = new Date().getFullYear() - 1;
    await waitFor(() =>
      expect(calls.some((c) => pathOf(c) === '/api/revenue' && new URL(c.url).search === `?from=${y}-01&to=${y}-12`)).toBe(true),
    );
  });

  it('downloads the CSV with the session in a browser', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    URL.createObjectURL = vi.fn(() => 'blob:csv');
    URL.revokeObjectURL = vi.fn();
    const user = userEvent.setup();
    const { calls } = open('/invoicing/revenue', ['revenue.view']);
    await screen.findByRole('table', { name: 'Revenue by client' });
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const { from, to } = periodMonths('last12');
    const get = calls.find((c) => pathOf(c) === '/api/revenue.csv')!;
    expect(new URL(get.url).search).toBe(`?from=${from}&to=${to}`);
    expect(get.headers.get('Authorization')).toBe('Bearer tok');
    const link = click.mock.contexts[0] as HTMLAnchorElement;
    expect(link.download).toBe(`revenue-${from}-to-${to}.csv`);
    const blob = vi.mocked(URL.createObjectURL).mock.calls[0][0] as Blob;
    expect(await readText(blob)).toBe(CSV);
    click.mockRestore();
  });

  it("saves the CSV through the window's save dialog in the desktop window", async () => {
    const SaveFile = vi.fn(async () => '/home/bea/revenue.csv');
    (window as { go?: unknown }).go = { main: { App: { SaveFile } } };
    const user = userEvent.setup();
    open('/invoicing/revenue', ['revenue.view'], undefined, true);
    await screen.findByRole('table', { name: 'Revenue by client' });
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(SaveFile).toHaveBeenCalled());
    const { from, to } = periodMonths('last12');
    expect(SaveFile).toHaveBeenCalledWith(`revenue-${from}-to-${to}.csv`, CSV);
    expect(await screen.findByText('Saved to /home/bea/revenue.csv')).toBeTruthy();
  });

  it("says so when the server refuses the figures", async () => {
    open('/invoicing/revenue', ['revenue.view'], (_req, path) =>
      path === '/api/revenue' ? { status: 403, body: { error: { code: 'forbidden', message: 'Your role does not hold revenue.view.' } } } : undefined,
    );
    expect(await screen.findByText('Your role does not hold revenue.view.')).toBeTruthy();
  });

  it('is not offered without revenue.view', async () => {
    open('/invoicing/revenue', ['invoices.view']);
    expect(await screen.findByText('Not available')).toBeTruthy();
  });
});

describe('periodMonths', () => {
  it('counts months from today', () => {
    expect(periodMonths('last12', new Date(2026, 10, 30))).toEqual({ from: '2025-12', to: '2026-11' });
    expect(periodMonths('last12', new Date(2026, 0, 5))).toEqual({ from: '2025-02', to: '2026-01' });
    expect(periodMonths('thisYear', new Date(2026, 2, 1))).toEqual({ from: '2026-01', to: '2026-03' });
    expect(periodMonths('lastYear', new Date(2026, 2, 1))).toEqual({ from: '2025-01', to: '2025-12' });
  });
});

describe('the invoice details tab', () => {
  it('changes the issuer and the payment instructions, with a refusal on its field', async () => {
    const sent: unknown[] = [];
    const user = userEvent.setup();
    const { calls } = open('/invoicing/details', ['invoices.view', 'invoices.edit'], (req) => {
      if (req.method !== 'PUT') return undefined;
      if (sent.length === 0) {
        sent.push('refused');
        return { status: 422, body: { error: { code: 'invalid', field: 'issuerPhone', message: 'The phone number is too long.' } } };
      }
      return { body: { ...SETTINGS, paymentInstructions: 'IBAN DE00 1234' } };
    });
    const form = await screen.findByRole('form', { name: 'Invoice details' });
    expect((within(form).getByRole('textbox', { name: /^Name/ }) as HTMLInputElement).value).toBe('Studio North');
    expect(form.textContent).toContain('No payment gateway is connected: clients see the instructions below.');
    const phone = within(form).getByRole('textbox', { name: 'Phone' });
    await user.type(phone, '+44 20 0000 0000 0000 0000');
    await user.type(within(form).getByRole('textbox', { name: 'Payment instructions' }), 'IBAN DE00 1234');
    await user.click(within(form).getByRole('button', { name: 'Save details' }));
    await waitFor(() => expect(errorOf(phone)).toBe('The phone number is too long.'));
    await user.clear(phone);
    await user.click(within(form).getByRole('button', { name: 'Save details' }));
    expect(await screen.findByText('Invoice details saved.')).toBeTruthy();
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(await puts[1].json()).toEqual({
      issuerName: 'Studio North',
      issuerEmail: 'billing@north.example',
      issuerPhone: '',
      issuerAddress: '1 Harbour Road',
      paymentInstructions: 'IBAN DE00 1234',
    });
  });

  it('shows the details read-only without canEdit', async () => {
    const { calls } = open('/invoicing/details', ['invoices.view'], (_req, path) =>
      path === '/api/invoicing/settings' ? { body: { ...SETTINGS, canEdit: false, gateway: 'stripe' } } : undefined,
    );
    const form = await screen.findByRole('form', { name: 'Invoice details' });
    expect(form.textContent).toContain('Only people who may edit invoices change these details.');
    expect(form.textContent).toContain('Online payments through Stripe are connected');
    expect(within(form).getByRole('textbox', { name: /^Name/ }).hasAttribute('readonly')).toBe(true);
    expect(within(form).queryByRole('button', { name: 'Save details' })).toBeNull();
    expect(changes(calls)).toEqual([]);
  });
});
