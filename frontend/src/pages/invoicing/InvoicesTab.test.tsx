import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me } from '../../api/client';
import i18n from '../../i18n';
import { GLOBEX, invoice, sentInvoice, serveInvoicing, teamMe } from '../../test/invoices';
import { renderWithProviders } from '../../test/render';
import { InvoicingSection } from './InvoicingSection';

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname}</output>;
}

function open(me: Me, server: Parameters<typeof serveInvoicing>[0], route = '/invoicing') {
  setToken('tok');
  const s = serveInvoicing(server);
  renderWithProviders(
    <>
      <InvoicingSection me={me} />
      <Where />
    </>,
    { route, path: '/invoicing/*' },
  );
  return s;
}

const ALL = [
  invoice({ id: 'd1', total: 5_000 }),
  sentInvoice(),
  sentInvoice({ id: 'inv-6', number: '2026-0006', companyId: GLOBEX.id, status: 'partly_paid', paid: 20_000, balance: 100_000 }),
  sentInvoice({ id: 'inv-5', number: '2026-0005', status: 'overdue', dueDate: '2026-10-01' }),
  sentInvoice({ id: 'inv-4', number: '2026-0004', status: 'paid', paid: 120_000, balance: 0 }),
  sentInvoice({ id: 'inv-3', number: '2026-0003', status: 'void' }),
];

/** The Select's input, by its label. */
const statusFilter = () => screen.getAllByLabelText('Status').find((el) => el.tagName === 'INPUT') as HTMLInputElement;

describe('the invoices tab', () => {
  it('lists number or Draft, company, status in words, dates, total and balance', async () => {
    open(teamMe(['invoices.view', 'invoices.create']), { invoices: ALL });
    const table = await screen.findByRole('table', { name: 'Invoices' });
    const rows = within(table).getAllByRole('row').slice(1);
    await waitFor(() => expect(rows[0].textContent).toContain('Acme Corp'));
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['Draft', 'Acme Corp', 'Draft', '—', '—', '€50.00', '—'],
      ['2026-0007', 'Acme Corp', 'Sent', expect.any(String), expect.any(String), '€1,200.00', '€1,200.00'],
      ['2026-0006', 'Globex', 'Partly paid', expect.any(String), expect.any(String), '€1,200.00', '€1,000.00'],
      ['2026-0005', 'Acme Corp', 'Overdue', expect.any(String), expect.any(String), '€1,200.00', '€1,200.00'],
      ['2026-0004', 'Acme Corp', 'Paid', expect.any(String), expect.any(String), '€1,200.00', '€0.00'],
      ['2026-0003', 'Acme Corp', 'Void', expect.any(String), expect.any(String), '€1,200.00', '—'],
    ]);
    expect(within(rows[1]).getByRole('link', { name: '2026-0007' }).getAttribute('href')).toBe('/invoicing/inv-7');
    expect(screen.getByText('6 invoices')).toBeTruthy();
  });

  it('filters by status, and says when none has it', async () => {
    const user = userEvent.setup();
    open(teamMe(['invoices.view']), { invoices: ALL.slice(0, 3) });
    await screen.findByRole('table', { name: 'Invoices' });
    await user.click(statusFilter());
    await user.click(await screen.findByRole('option', { name: 'Partly paid' }));
    const rows = within(screen.getByRole('table', { name: 'Invoices' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0].textContent)).toEqual(['2026-0006']);
    expect(screen.getByText('1 of 3 invoices')).toBeTruthy();

    await user.click(statusFilter());
    await user.click(await screen.findByRole('option', { name: 'Void' }));
    expect(screen.queryByRole('table', { name: 'Invoices' })).toBeNull();
    expect(screen.getByText('No void invoices')).toBeTruthy();
  });

  it('opens an invoice from its row', async () => {
    const user = userEvent.setup();
    open(teamMe(['invoices.view']), { invoices: ALL });
    await user.click(await screen.findByRole('cell', { name: 'Globex' }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/invoicing/inv-6'));
  });

  it('says what to do first when there are none, with New invoice only for invoices.create', async () => {
    const user = userEvent.setup();
    open(teamMe(['invoices.view', 'invoices.create']), {});
    expect(await screen.findByText('No invoices yet')).toBeTruthy();
    expect(screen.getByText(/Start with New invoice: choose the client company/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'New invoice' }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/invoicing/new'));
  });

  it('offers no New invoice without invoices.create', async () => {
    open(teamMe(['invoices.view']), { invoices: ALL });
    await screen.findByRole('table', { name: 'Invoices' });
    expect(screen.queryByRole('button', { name: 'New invoice' })).toBeNull();
  });

  it('shows the tabs the role holds: Revenue only with revenue.view', async () => {
    open(teamMe(['invoices.view']), { invoices: ALL });
    await screen.findByRole('table', { name: 'Invoices' });
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Invoices', 'Invoice details']);
  });

  it('shows all three tabs with revenue.view', async () => {
    open(teamMe(['invoices.view', 'revenue.view']), { invoices: ALL });
    await screen.findByRole('table', { name: 'Invoices' });
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Invoices', 'Revenue', 'Invoice details']);
  });
});

describe('the invoices tab in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('names its tabs, columns, statuses and count in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    open(teamMe(['invoices.view', 'invoices.create', 'revenue.view']), { invoices: ALL });
    const table = await screen.findByRole('table', { name: 'Faturas' });
    expect(screen.getByRole('tab', { name: 'Receita' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Dados da fatura' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Nova fatura' })).toBeTruthy();
    expect(within(table).getByRole('columnheader', { name: 'Empresa cliente' })).toBeTruthy();
    expect(within(table).getByText('Paga em parte')).toBeTruthy();
    expect(within(table).getByText('Anulada')).toBeTruthy();
    expect(screen.getByText('6 faturas')).toBeTruthy();
  });
});
