import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { setToken, type Me } from '../../api/client';
import type { Invoice } from '../../api/invoices';
import { ACME, changes, invoice, pathOf, sentInvoice, serveInvoicing, teamMe, type Answer } from '../../test/invoices';
import { errorOf, renderWithProviders } from '../../test/render';
import { invoiceButtons } from './invoiceActions';
import { InvoicingSection } from './InvoicingSection';

const BOOKKEEPER = ['invoices.view', 'invoices.create', 'invoices.edit', 'invoices.send', 'invoices.delete', 'payments.view', 'revenue.view'];
const bookkeeper = teamMe(BOOKKEEPER);
const DRAFT_ACTIONS = ['invoices.edit', 'invoices.send', 'invoices.delete', 'payments.view'];

/** A draft of Acme's with two lines: €259.98 at 20 % and €5.00 untaxed. */
const draft = (over: Partial<Invoice> = {}) =>
  invoice({
    actions: DRAFT_ACTIONS,
    notes: 'Thanks!',
    subtotal: 26_498,
    tax: 5_200,
    total: 31_698,
    lines: [
      { description: 'Design work', quantityMilli: 2000, unitPrice: 12_999, taxRateBP: 2000 },
      { description: 'Prints', quantityMilli: 1500, unitPrice: 333, taxRateBP: 0 },
    ],
    ...over,
  });

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

function open(route: string, me: Me, server: Parameters<typeof serveInvoicing>[0]) {
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

/** A Mantine Select's input (its label also names the listbox). */
const select = (label: string, within: HTMLElement = document.body) =>
  [...within.querySelectorAll('input')].find((el) => el.labels?.[0]?.textContent?.replace('*', '').trim() === label) as HTMLInputElement;

const button = (name: string) => screen.queryByRole('button', { name });
const buttonsShown = () =>
  ['Save draft', 'Send', 'Delete draft', 'Void', 'Record payment', 'Download PDF'].filter((n) => button(n) !== null);

describe('invoiceButtons', () => {
  const inv = (over: Partial<Invoice>) => invoice({ ...over });
  it("follows the invoice's actions, in the state each applies to", () => {
    const shown = (i: Invoice, readOnly = false) =>
      Object.entries(invoiceButtons(i, readOnly))
        .filter(([, v]) => v)
        .map(([k]) => k);
    expect(shown(inv({ status: 'draft', actions: DRAFT_ACTIONS }))).toEqual(['save', 'send', 'deleteDraft', 'pdf']);
    expect(shown(inv({ status: 'draft', actions: ['invoices.edit'] }))).toEqual(['save', 'pdf']);
    expect(shown(inv({ status: 'draft', actions: [] }))).toEqual(['pdf']);
    // Viewing as someone: nothing changes.
    expect(shown(inv({ status: 'draft', actions: DRAFT_ACTIONS }), true)).toEqual(['pdf']);
    const sent = { total: 1000, balance: 1000, actions: ['invoices.send', 'payments.view', 'payments.record'] };
    expect(shown(inv({ status: 'sent', ...sent }))).toEqual(['void', 'recordPayment', 'payments', 'pdf']);
    expect(shown(inv({ status: 'overdue', ...sent }))).toEqual(['void', 'recordPayment', 'payments', 'pdf']);
    // Paid in part: the server refuses to void it, so it is not offered.
    expect(shown(inv({ status: 'partly_paid', ...sent, paid: 400, balance: 600 }))).toEqual(['recordPayment', 'payments', 'pdf']);
    // Overdue is said before partly paid: an overdue invoice may have payments too.
    expect(shown(inv({ status: 'overdue', ...sent, paid: 400, balance: 600 }))).toEqual(['recordPayment', 'payments', 'pdf']);
    expect(shown(inv({ status: 'paid', ...sent, paid: 1000, balance: 0 }))).toEqual(['payments', 'pdf']);
    expect(shown(inv({ status: 'void', ...sent, actions: ['payments.view'] }))).toEqual(['payments', 'pdf']);
    // Without invoices.send, no void; without payments.record, no payment; without payments.view, no history.
    expect(shown(inv({ status: 'sent', ...sent, actions: [] }))).toEqual(['pdf']);
  });
});

describe('InvoicePage', () => {
  it('shows a draft in its form, with the buttons its actions allow', async () => {
    open('/invoicing/inv-1', bookkeeper, { invoices: [draft()] });
    expect(await screen.findByRole('heading', { name: 'Draft invoice' })).toBeTruthy();
    expect(within(screen.getByRole('navigation')).getByRole('link', { name: 'invoicing' }).getAttribute('href')).toBe('/invoicing');
    expect(screen.getByText('Draft', { selector: '.mantine-Badge-label' })).toBeTruthy();
    await waitFor(() => expect(select('Client company').value).toBe('Acme Corp'));
    expect((screen.getByRole('textbox', { name: 'Line 1 description' }) as HTMLInputElement).value).toBe('Design work');
    expect((screen.getByRole('textbox', { name: 'Line 1 unit price' }) as HTMLInputElement).value).toBe('129.99');
    expect((screen.getByRole('textbox', { name: 'Line 2 quantity' }) as HTMLInputElement).value).toBe('1.5');
    expect((screen.getByRole('textbox', { name: 'Line 1 tax %' }) as HTMLInputElement).value).toBe('20');
    expect(buttonsShown()).toEqual(['Save draft', 'Send', 'Delete draft', 'Download PDF']);
    // No payments on a draft.
    expect(screen.queryByRole('heading', { name: 'Payments' })).toBeNull();
  });

  it('shows a draft it may not change as it stands, without Save, Send or Delete', async () => {
    open('/invoicing/inv-1', teamMe(['invoices.view']), { invoices: [draft({ actions: [] })] });
    expect(await screen.findByRole('heading', { name: 'Draft invoice' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Line 1 description' })).toBeNull();
    const lines = screen.getByRole('table', { name: 'Invoice lines' });
    expect(within(lines).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'DescriptionQuantityUnit priceTaxAmount',
      'Design work2€129.9920%€259.98',
      'Prints1.5€3.330%€5.00',
    ]);
    expect(buttonsShown()).toEqual(['Download PDF']);
  });

  it('shows a sent invoice with Void, Record payment and its payments', async () => {
    const inv = sentInvoice({ actions: ['invoices.send', 'payments.view', 'payments.record'] });
    open('/invoicing/inv-7', bookkeeper, {
      invoices: [inv],
      answer: (_req, path) =>
        path === '/api/invoices/inv-7/payments'
          ? {
              body: {
                items: [{ id: 'p1', amount: 20_000, method: 'bank_transfer', receivedOn: '2026-11-10', reference: 'SEPA 123', createdAt: '2026-11-10T09:00:00Z' }],
                next: null,
              },
            }
          : undefined,
    });
    expect(await screen.findByRole('heading', { name: 'Invoice 2026-0007' })).toBeTruthy();
    expect(buttonsShown()).toEqual(['Void', 'Record payment', 'Download PDF']);
    const payments = await screen.findByRole('table', { name: 'Payments' });
    expect(within(payments).getByText('Bank transfer')).toBeTruthy();
    expect(within(payments).getByText('SEPA 123')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Balance' }).textContent).toContain('€1,200.00');
  });

  it('saves a draft in minor units, thousandths and basis points, leaving blank lines out', async () => {
    const sent: unknown[] = [];
    const { calls } = open('/invoicing/inv-1', bookkeeper, {
      invoices: [draft()],
      answer: async (req) => {
        if (req.method === 'PATCH') {
          sent.push(await req.json());
          return { body: draft() };
        }
      },
    });
    const user = userEvent.setup();
    const desc = await screen.findByRole('textbox', { name: 'Line 2 description' });
    await user.clear(desc);
    await user.type(desc, 'Printing');
    await user.click(screen.getByRole('button', { name: 'Add line' })); // left blank
    await user.type(screen.getByLabelText('Due date'), '2026-12-31');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('Draft saved.')).toBeTruthy();
    expect(changes(calls)).toEqual(['PATCH /api/invoices/inv-1']);
    expect(sent).toEqual([
      {
        companyId: ACME.id,
        dueDate: '2026-12-31',
        notes: 'Thanks!',
        lines: [
          { description: 'Design work', quantityMilli: 2000, unitPrice: 12_999, taxRateBP: 2000 },
          { description: 'Printing', quantityMilli: 1500, unitPrice: 333, taxRateBP: 0 },
        ],
      },
    ]);
  });

  it("puts the server's refusal of a line on that line's field, past the blank lines left out", async () => {
    const { calls } = open('/invoicing/inv-1', bookkeeper, {
      invoices: [draft()],
      answer: (req): Answer | undefined =>
        req.method === 'PATCH'
          ? { status: 422, body: { error: { code: 'invalid', field: 'lines[0].unitPrice', message: "Line 1's unit price is in cents, from 0 to 1000000000." } } }
          : undefined,
    });
    const user = userEvent.setup();
    // Line 1 emptied: it is left out, so the server's first line is the form's second.
    await user.clear(await screen.findByRole('textbox', { name: 'Line 1 description' }));
    await user.clear(screen.getByRole('textbox', { name: 'Line 1 unit price' }));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(changes(calls)).toEqual(['PATCH /api/invoices/inv-1']));
    await waitFor(() =>
      expect(errorOf(screen.getByRole('textbox', { name: 'Line 2 unit price' }))).toBe("Line 1's unit price is in cents, from 0 to 1000000000."),
    );
    expect(errorOf(screen.getByRole('textbox', { name: 'Line 1 unit price' }))).toBe('');
  });

  it('checks the form before sending anything', async () => {
    const { calls } = open('/invoicing/inv-1', bookkeeper, { invoices: [draft()] });
    const user = userEvent.setup();
    const qty = await screen.findByRole('textbox', { name: 'Line 1 quantity' });
    await user.clear(qty);
    await user.type(qty, '0');
    await user.clear(screen.getByRole('textbox', { name: 'Line 2 description' }));
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(errorOf(qty)).toBe('Enter a quantity above zero.');
    expect(errorOf(screen.getByRole('textbox', { name: 'Line 2 description' }))).toBe('Say what this line is for.');
    expect(changes(calls)).toEqual([]);
  });

  it('makes a new draft for a company picked from the list, then opens it', async () => {
    const sent: unknown[] = [];
    const { calls } = open('/invoicing/new', bookkeeper, {
      answer: async (req) => {
        if (req.method === 'POST' && pathOf(req) === '/api/invoices') {
          sent.push(await req.json());
          return { status: 201, body: draft({ id: 'inv-new' }) };
        }
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'New invoice' })).toBeTruthy();
    expect(buttonsShown()).toEqual(['Save draft']);
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(errorOf(select('Client company'))).toBe('Choose the client company the invoice is for.');
    expect(changes(calls)).toEqual([]);

    await user.click(select('Client company'));
    await user.click(await screen.findByRole('option', { name: 'Globex' }));
    await user.type(screen.getByRole('textbox', { name: 'Line 1 description' }), 'Consulting');
    await user.type(screen.getByRole('textbox', { name: 'Line 1 unit price' }), '1,250.50');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/invoicing/inv-new'));
    expect(sent).toEqual([
      {
        companyId: 'c-globex',
        dueDate: '',
        notes: '',
        lines: [{ description: 'Consulting', quantityMilli: 1000, unitPrice: 125_050, taxRateBP: 0 }],
      },
    ]);
  });

  it('sends only once confirmed, and names whom it was mailed to', async () => {
    const sentOne = draft({ number: '2026-0008', status: 'sent', issueDate: '2026-11-30', balance: 31_698, actions: ['invoices.send', 'payments.view', 'payments.record'] });
    let now = draft();
    const { calls } = open('/invoicing/inv-1', bookkeeper, {
      answer: (req, path) => {
        if (path === '/api/invoices/inv-1/send') {
          now = sentOne;
          return { body: { ...sentOne, mailedTo: ['Carl Client', 'Cora Client'] } };
        }
        if (req.method === 'GET' && path === '/api/invoices/inv-1') return { body: now };
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Send' }));
    let dialog = await screen.findByRole('dialog', { name: 'Send this invoice?' });
    expect(dialog.textContent).toContain('It takes the next invoice number of the year');
    expect(dialog.textContent).toContain('mailed with its PDF to the people of Acme Corp who use the client portal');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(changes(calls)).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Send' }));
    dialog = await screen.findByRole('dialog', { name: 'Send this invoice?' });
    await user.click(within(dialog).getByRole('button', { name: 'Send invoice' }));
    const notice = (await screen.findByText('Sent as invoice 2026-0008')).closest('[role="status"]')!;
    expect(notice.textContent).toContain('Sent as invoice 2026-0008');
    expect(notice.textContent).toContain('Mailed with its PDF to Carl Client, Cora Client.');
    expect(changes(calls)).toEqual(['POST /api/invoices/inv-1/send']);
    expect(await screen.findByRole('heading', { name: 'Invoice 2026-0008' })).toBeTruthy();
    expect(buttonsShown()).toEqual(['Void', 'Record payment', 'Download PDF']);
  });

  it('saves unsaved changes before sending, and points to the invoice details when the issuer is missing', async () => {
    const { calls } = open('/invoicing/inv-1', bookkeeper, {
      invoices: [draft()],
      answer: (req, path): Answer | undefined => {
        if (req.method === 'PATCH') return { body: draft() };
        if (path === '/api/invoices/inv-1/send')
          return { status: 422, body: { error: { code: 'invalid', field: 'issuerName', message: 'Name the organisation in the invoice details first.' } } };
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox', { name: 'Notes' }), ' See you.');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    const dialog = await screen.findByRole('dialog', { name: 'Send this invoice?' });
    expect(dialog.textContent).toContain('Your unsaved changes are saved first.');
    await user.click(within(dialog).getByRole('button', { name: 'Save and send' }));
    expect(await within(dialog).findByText('Name the organisation in the invoice details first.')).toBeTruthy();
    expect(within(dialog).getByRole('link', { name: 'Fill in the invoice details' }).getAttribute('href')).toBe('/invoicing/details');
    expect(changes(calls)).toEqual(['PATCH /api/invoices/inv-1', 'POST /api/invoices/inv-1/send']);
  });

  it('deletes a draft only once confirmed, then goes back to the list', async () => {
    const { calls } = open('/invoicing/inv-1', bookkeeper, {
      invoices: [draft()],
      answer: (req) => (req.method === 'DELETE' ? { status: 204 } : undefined),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete draft' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this draft?' });
    expect(changes(calls)).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete draft' }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/invoicing'));
    expect(changes(calls)).toEqual(['DELETE /api/invoices/inv-1']);
  });

  it("voids once confirmed, and shows the server's refusal in the dialog", async () => {
    const { calls } = open('/invoicing/inv-7', bookkeeper, {
      invoices: [sentInvoice({ actions: ['invoices.send'] })],
      answer: (_req, path): Answer | undefined =>
        path === '/api/invoices/inv-7/void'
          ? { status: 409, body: { error: { code: 'has_payments', message: 'Payments were received on this invoice: it cannot be voided.' } } }
          : undefined,
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Void' }));
    const dialog = await screen.findByRole('dialog', { name: 'Void this invoice?' });
    expect(dialog.textContent).toContain('Invoice 2026-0007 for €1,200.00 is cancelled for good');
    await user.click(within(dialog).getByRole('button', { name: 'Void invoice' }));
    expect(await within(dialog).findByText('Payments were received on this invoice: it cannot be voided.')).toBeTruthy();
    expect(changes(calls)).toEqual(['POST /api/invoices/inv-7/void']);
  });

  it('records a payment of the balance by default, and refuses more than is owed before sending', async () => {
    const sent: unknown[] = [];
    const { calls } = open('/invoicing/inv-7', bookkeeper, {
      invoices: [sentInvoice({ actions: ['invoices.send', 'payments.view', 'payments.record'], paid: 20_000, balance: 100_000, status: 'partly_paid' })],
      answer: async (req, path) => {
        if (req.method === 'POST' && path === '/api/invoices/inv-7/payments') {
          sent.push(await req.json());
          return { status: 201, body: { id: 'p2', amount: 100_000, method: 'cash', receivedOn: '2026-11-20', reference: '', createdAt: '2026-11-20T10:00:00Z' } };
        }
      },
    });
    const user = userEvent.setup();
    // Paid in part: no Void.
    await screen.findByRole('heading', { name: 'Invoice 2026-0007' });
    expect(buttonsShown()).toEqual(['Record payment', 'Download PDF']);
    await user.click(screen.getByRole('button', { name: 'Record payment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Record a payment' });
    const amount = within(dialog).getByRole('textbox', { name: 'Amount' }) as HTMLInputElement;
    expect(amount.value).toBe('1000.00');
    await user.clear(amount);
    await user.type(amount, '1000.01');
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));
    expect(errorOf(amount)).toBe('That is more than is owed: €1,000.00 remain.');
    expect(changes(calls)).toEqual([]);

    await user.clear(amount);
    await user.type(amount, '1000');
    await user.click(select('Method', dialog));
    await user.click(await screen.findByRole('option', { name: 'Cash' }));
    const day = within(dialog).getByLabelText('Received on');
    await user.clear(day);
    await user.type(day, '2026-11-20');
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Record a payment' })).toBeNull());
    expect(sent).toEqual([{ amount: 100_000, method: 'cash', receivedOn: '2026-11-20', reference: '' }]);
  });

  it('says when an invoice does not exist or is hidden', async () => {
    open('/invoicing/nope', bookkeeper, {});
    expect(await screen.findByText('This invoice does not exist, or you cannot see it.')).toBeTruthy();
  });
});
