import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Invoice, InvoiceStatus, PaymentMethod } from '../../api/invoices';
import i18n from '../../i18n';

/** Each status, in the order an invoice goes through them. */
export const STATUSES: InvoiceStatus[] = ['draft', 'sent', 'partly_paid', 'overdue', 'paid', 'void'];

/** A status in words (in the UI's language at call time). */
export function statusLabel(status: InvoiceStatus): string {
  return STATUSES.includes(status) ? i18n.t(`invoicing:status.${status}`) : status;
}

const STATUS_COLORS: Record<InvoiceStatus, string> = {
  draft: 'gray',
  sent: 'blue',
  partly_paid: 'yellow',
  overdue: 'red',
  paid: 'teal',
  void: 'dark',
};

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  // Subscribes the badge to language changes.
  useTranslation('invoicing');
  return (
    <Badge variant="light" tt="none" color={STATUS_COLORS[status]}>
      {statusLabel(status)}
    </Badge>
  );
}

const METHODS: (PaymentMethod | 'stripe')[] = ['bank_transfer', 'cash', 'card', 'other', 'stripe'];

/** How a payment was made, in words. */
export function methodLabel(method: PaymentMethod | 'stripe'): string {
  return METHODS.includes(method) ? i18n.t(`invoicing:method.${method}`) : method;
}

/**
 * How an invoice is named: its number once sent, "Draft" before; `inSentence` for the
 * middle of a sentence ("invoice 2026-0001", "draft invoice").
 */
export function invoiceName(inv: Pick<Invoice, 'number'>, inSentence = false): string {
  const form = inSentence ? 'invoiceNameInSentence' : 'invoiceName';
  return inv.number ? i18n.t(`invoicing:${form}.numbered`, { number: inv.number }) : i18n.t(`invoicing:${form}.draft`);
}

/** Sent and not void: it counts as invoiced, and what it still owes is owed. */
export function isIssued(inv: Pick<Invoice, 'status'>): boolean {
  return inv.status !== 'draft' && inv.status !== 'void';
}

/** The file a PDF is saved as: the invoice's number, or "draft". */
export function pdfName(inv: Pick<Invoice, 'number' | 'id'>): string {
  return inv.number ? `invoice-${inv.number}.pdf` : `invoice-draft-${inv.id.slice(0, 8)}.pdf`;
}
