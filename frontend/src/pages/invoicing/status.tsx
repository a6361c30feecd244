import { Badge } from '@mantine/core';
import type { Invoice, InvoiceStatus, PaymentMethod } from '../../api/invoices';

/** Each status in words, in the order an invoice goes through them. */
export const STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  sent: 'Sent',
  partly_paid: 'Partly paid',
  overdue: 'Overdue',
  paid: 'Paid',
  void: 'Void',
};

const STATUS_COLORS: Record<InvoiceStatus, string> = {
  draft: 'gray',
  sent: 'blue',
  partly_paid: 'yellow',
  overdue: 'red',
  paid: 'teal',
  void: 'dark',
};

export function StatusBadge({ status }: { status: InvoiceStatus }) {
  return (
    <Badge variant="light" tt="none" color={STATUS_COLORS[status]}>
      {STATUS_LABELS[status] ?? status}
    </Badge>
  );
}

export const METHOD_LABELS: Record<PaymentMethod | 'stripe', string> = {
  bank_transfer: 'Bank transfer',
  cash: 'Cash',
  card: 'Card',
  other: 'Other',
  stripe: 'Online (Stripe)',
};

/** How an invoice is named: its number once sent, "Draft" before. */
export function invoiceName(inv: Pick<Invoice, 'number'>): string {
  return inv.number ? `Invoice ${inv.number}` : 'Draft invoice';
}

/** Sent and not void: it counts as invoiced, and what it still owes is owed. */
export function isIssued(inv: Pick<Invoice, 'status'>): boolean {
  return inv.status !== 'draft' && inv.status !== 'void';
}

/** The file a PDF is saved as: the invoice's number, or "draft". */
export function pdfName(inv: Pick<Invoice, 'number' | 'id'>): string {
  return inv.number ? `invoice-${inv.number}.pdf` : `invoice-draft-${inv.id.slice(0, 8)}.pdf`;
}
