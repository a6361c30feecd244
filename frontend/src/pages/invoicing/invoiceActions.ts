import type { Me } from '../../api/client';
import type { Invoice } from '../../api/invoices';
import { can } from '../../lib/permissions';
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
export function invoiceButtons(inv: Invoice, me: Me, readOnly: boolean): InvoiceButtons {
  const a = inv.actions;
  const draft = inv.status === 'draft';
  return {
    save: draft && allows(a, 'invoices.edit', readOnly),
    send: draft && allows(a, 'invoices.send', readOnly),
    deleteDraft: draft && allows(a, 'invoices.delete', readOnly),
    void: (inv.status === 'sent' || inv.status === 'overdue') && inv.paid === 0 && allows(a, 'invoices.send', readOnly),
    // The invoice's actions cannot say this yet: they judge invoices.edit as a draft's edit,
    // which a sent invoice refuses. Recording a payment is invoices.edit on a sent invoice,
    // so the role's own grant is asked (a courtesy: the server decides).
    recordPayment: isOpen(inv) && !readOnly && me.role.kind !== 'client' && can(me, 'invoices.edit'),
    payments: !draft && a.includes('payments.view'),
    pdf: true,
  };
}
