// The invoice form's values as typed (text in every field), their checks — the server's
// rules, so mistakes show before a round trip — and the request they make. The server still
// checks everything; its 422 answers land on the same fields (serverErrorPath).
import type { FormErrors } from '@mantine/form';
import type { Invoice, InvoiceLine, InvoiceRequest } from '../../api/invoices';
import i18n from '../../i18n';
import { parseMoney, toMoneyInput } from '../../lib/money';
import {
  MAX_DESCRIPTION,
  MAX_LINES,
  MAX_NOTES,
  MAX_UNIT_PRICE,
  parseQuantity,
  parseTaxRate,
  quantityText,
  taxRateText,
} from './totals';

export type LineRow = { key: string; description: string; quantity: string; unitPrice: string; taxRate: string };
export type InvoiceFormValues = { companyId: string; dueDate: string; notes: string; lines: LineRow[] };
export type LineColumn = 'description' | 'quantity' | 'unitPrice' | 'taxRate';

let lastKey = 0;
/** A new empty line (a React key of its own); the tax rate is carried over from the line above. */
export function newLine(taxRate = ''): LineRow {
  lastKey += 1;
  return { key: `line-${lastKey}`, description: '', quantity: '1', unitPrice: '', taxRate };
}

export function emptyForm(): InvoiceFormValues {
  return { companyId: '', dueDate: '', notes: '', lines: [newLine()] };
}

export function formFromInvoice(inv: Invoice): InvoiceFormValues {
  const lines = (inv.lines ?? []).map((l) => ({
    ...newLine(taxRateText(l.taxRateBP)),
    description: l.description,
    quantity: quantityText(l.quantityMilli),
    unitPrice: toMoneyInput(l.unitPrice, inv.currency),
  }));
  return { companyId: inv.companyId, dueDate: inv.dueDate, notes: inv.notes, lines: lines.length ? lines : [newLine()] };
}

/** A line with neither a description nor a price is left out of what is saved (and of the totals). */
export function isBlank(row: LineRow): boolean {
  return !row.description.trim() && !row.unitPrice.trim();
}

export type ParsedLine = { line: InvoiceLine | null; errors: Partial<Record<LineColumn, string>> };

/** A line as the API takes it, or what is wrong with each of its fields. */
export function parseLine(row: LineRow, currency: string): ParsedLine {
  const errors: Partial<Record<LineColumn, string>> = {};
  const description = row.description.trim();
  if (!description) errors.description = i18n.t('invoicing:form.descriptionRequired');
  else if ([...description].length > MAX_DESCRIPTION) errors.description = i18n.t('invoicing:form.atMostCharacters', { max: MAX_DESCRIPTION });
  const quantity = parseQuantity(row.quantity);
  if (quantity.error) errors.quantity = quantity.error;
  const price = parseMoney(row.unitPrice, currency);
  if (price.error) errors.unitPrice = price.error;
  else if (price.value === null) errors.unitPrice = i18n.t('invoicing:form.unitPriceRequired');
  else if (price.value > MAX_UNIT_PRICE) errors.unitPrice = i18n.t('invoicing:form.atMost', { max: toMoneyInput(MAX_UNIT_PRICE, currency) });
  const tax = parseTaxRate(row.taxRate);
  if (tax.error) errors.taxRate = tax.error;
  if (Object.keys(errors).length > 0) return { line: null, errors };
  return {
    line: { description, quantityMilli: quantity.value!, unitPrice: price.value!, taxRateBP: tax.value! },
    errors,
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Every mistake of the form, on its field (lines at lines.<index>.<column>). */
export function validateInvoice(values: InvoiceFormValues, currency: string): FormErrors {
  const errors: FormErrors = {};
  if (!values.companyId) errors.companyId = i18n.t('invoicing:form.companyRequired');
  if (values.dueDate && !DAY.test(values.dueDate)) errors.dueDate = i18n.t('invoicing:form.dueDateFormat');
  if ([...values.notes.trim()].length > MAX_NOTES) errors.notes = i18n.t('invoicing:form.notesTooLong', { max: MAX_NOTES });
  let kept = 0;
  values.lines.forEach((row, i) => {
    if (isBlank(row)) return;
    kept += 1;
    for (const [column, message] of Object.entries(parseLine(row, currency).errors)) errors[`lines.${i}.${column}`] = message;
  });
  if (kept > MAX_LINES) errors.lines = i18n.t('invoicing:form.tooManyLines', { max: MAX_LINES });
  return errors;
}

/**
 * What the form saves, and for each line sent the index of its row in the form (blank rows
 * are left out), so that an error the server names by line lands on the right row.
 */
export function toRequest(values: InvoiceFormValues, currency: string): { body: InvoiceRequest; rowOf: number[] } {
  const rowOf: number[] = [];
  const lines: InvoiceLine[] = [];
  values.lines.forEach((row, i) => {
    if (isBlank(row)) return;
    const { line } = parseLine(row, currency);
    if (!line) throw new Error(`line ${i + 1} is not valid`); // validateInvoice ran first
    lines.push(line);
    rowOf.push(i);
  });
  return {
    body: { companyId: values.companyId, dueDate: values.dueDate, notes: values.notes.trim(), lines },
    rowOf,
  };
}

const COLUMNS: Record<string, LineColumn> = {
  description: 'description',
  quantityMilli: 'quantity',
  unitPrice: 'unitPrice',
  taxRateBP: 'taxRate',
};

/** The form field of a field the server names (lines[2].unitPrice → lines.<row>.unitPrice), or null. */
export function serverErrorPath(field: string | undefined, rowOf: number[]): string | null {
  if (!field) return null;
  if (field === 'companyId' || field === 'dueDate' || field === 'notes' || field === 'lines') return field;
  const m = /^lines\[(\d+)\]\.(\w+)$/.exec(field);
  if (m && COLUMNS[m[2]] && rowOf[Number(m[1])] !== undefined) return `lines.${rowOf[Number(m[1])]}.${COLUMNS[m[2]]}`;
  return null;
}
