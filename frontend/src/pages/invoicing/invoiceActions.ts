import type { Invoice } from '../../api/invoices';
import { allows } from '../../lib/readOnly';

export type InvoiceButtons = {
  save: boolean;
  send: boolean;
  deleteDraft: boolean;
  void: boolean;
  recordPayment: boolean;
  payments: boolean;
  pdf: boolean;
};

/** Sent and not yet paid in full: what takes payments. */
export function isOpen(inv: Pick<Invoice, 'status' | 'balance'>): boolean {
  return (inv.status === 'sent' || inv.status === 'overdue' || inv.status === 'partly_paid') && inv.balance > 0;
}

/**
 * Which buttons an invoice page shows: what the invoice's `actions` allow (the server's
 * answer), in the state that action applies to — invoices.send sends a draft and voids a
 * sent invoice; the server refuses to void one with payments, so it is not offered.
 */
export function invoiceButtons(inv: Invoice, readOnly: boolean): InvoiceButtons {
  const a = inv.actions;
  const draft = inv.status === 'draft';
  return {
    save: draft && allows(a, 'invoices.edit', readOnly),
    send: draft && allows(a, 'invoices.send', readOnly),
    deleteDraft: draft && allows(a, 'invoices.delete', readOnly),
    void: (inv.status === 'sent' || inv.status === 'overdue') && inv.paid === 0 && allows(a, 'invoices.send', readOnly),
    // payments.record: the server's word that a payment may be recorded by hand now.
    recordPayment: isOpen(inv) && allows(a, 'payments.record', readOnly),
    payments: !draft && a.includes('payments.view'),
    pdf: true,
  };
}
