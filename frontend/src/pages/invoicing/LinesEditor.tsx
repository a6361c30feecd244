import { ActionIcon, Button, Group, Stack, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../lib/money';
import { isBlank, newLine, parseLine, type InvoiceFormValues, type LineColumn } from './invoiceForm';
import { MAX_DESCRIPTION, formatTaxRate, invoiceTotals, lineAmount, type Line } from './totals';

const COLUMNS: LineColumn[] = ['description', 'quantity', 'unitPrice', 'taxRate'];

/**
 * A draft's lines, one row of fields each, with each line's amount and the totals as the
 * server will add them up. Keyboard: Tab moves along a line; Enter moves to the same field
 * of the next line (a new line after the last); each line has its own Remove button.
 */
export function LinesEditor({ form, currency }: { form: UseFormReturnType<InvoiceFormValues>; currency: string }) {
  const { t } = useTranslation('invoicing');
  const rows = form.getValues().lines;
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const addButton = useRef<HTMLButtonElement>(null);
  // Where focus goes once the rows have changed (a row added or removed): `${key}:${column}`, or 'add'.
  const focusNext = useRef<string | null>(null);
  useEffect(() => {
    const target = focusNext.current;
    if (!target) return;
    focusNext.current = null;
    if (target === 'add') addButton.current?.focus();
    else inputs.current.get(target)?.focus();
  });

  const add = (at = rows.length, column: LineColumn = 'description') => {
    const line = newLine(rows[at - 1]?.taxRate ?? '');
    form.insertListItem('lines', line, at);
    focusNext.current = `${line.key}:${column}`;
  };

  const remove = (i: number) => {
    const next = rows[i + 1] ?? rows[i - 1];
    form.removeListItem('lines', i);
    focusNext.current = next ? `${next.key}:description` : 'add';
  };

  const onKeyDown = (i: number, column: LineColumn) => (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.nativeEvent.isComposing) return;
    // Enter moves down, as in a spreadsheet, instead of submitting the form.
    e.preventDefault();
    const below = rows[i + 1];
    if (below) inputs.current.get(`${below.key}:${column}`)?.focus();
    else add(i + 1, column);
  };

  const parsed = rows.map((r) => (isBlank(r) ? null : parseLine(r, currency)));
  const valid = parsed.flatMap((p) => (p?.line ? [p.line as Line] : []));
  const mistakes = parsed.filter((p) => p && !p.line).length;
  const totals = invoiceTotals(valid);
  const money = (v: number) => formatMoney(v, currency);
  const linesError = form.errors.lines;

  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing={4} aria-label={t('lines.tableLabel')} layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36}>#</Table.Th>
              <Table.Th>{t('lines.description')}</Table.Th>
              <Table.Th w={100}>{t('lines.quantity')}</Table.Th>
              <Table.Th w={130}>{t('lines.unitPriceIn', { currency })}</Table.Th>
              <Table.Th w={90}>{t('lines.taxRate')}</Table.Th>
              <Table.Th w={130} ta="right">
                {t('lines.amount')}
              </Table.Th>
              <Table.Th w={44}>
                <VisuallyHidden>{t('lines.remove')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, i) => {
              const p = parsed[i];
              return (
                <Table.Tr key={row.key} style={{ verticalAlign: 'top' }}>
                  <Table.Td pt={10}>
                    <Text size="sm" c="dimmed">
                      {i + 1}
                    </Text>
                  </Table.Td>
                  {COLUMNS.map((column) => (
                    <Table.Td key={column}>
                      <TextInput
                        aria-label={t(`lines.fieldLabel.${column}`, { line: i + 1 })}
                        placeholder={column === 'description' ? t('lines.descriptionPlaceholder') : column === 'taxRate' ? '0' : undefined}
                        inputMode={column === 'description' ? undefined : 'decimal'}
                        maxLength={column === 'description' ? MAX_DESCRIPTION : 24}
                        autoComplete="off"
                        size="sm"
                        styles={column === 'description' ? undefined : { input: { textAlign: 'right' } }}
                        ref={(el) => {
                          const k = `${row.key}:${column}`;
                          if (el) inputs.current.set(k, el);
                          else inputs.current.delete(k);
                        }}
                        onKeyDown={onKeyDown(i, column)}
                        {...form.getInputProps(`lines.${i}.${column}`)}
                      />
                    </Table.Td>
                  ))}
                  <Table.Td ta="right" pt={10} style={{ whiteSpace: 'nowrap' }} data-testid={`line-${i + 1}-amount`}>
                    {p?.line ? money(lineAmount(p.line)) : <Text span c="dimmed" inherit>—</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={t('lines.removeLine')}>
                      <ActionIcon variant="subtle" color="red" mt={4} aria-label={t('lines.removeLineN', { line: i + 1 })} onClick={() => remove(i)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {linesError && (
        <Text size="sm" c="red" role="alert">
          {linesError}
        </Text>
      )}
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Button ref={addButton} variant="default" size="sm" leftSection={<IconPlus size={16} />} onClick={() => add()} w="fit-content">
            {t('lines.add')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('lines.hint')}
          </Text>
        </Stack>
        <TotalsPreview totals={totals} money={money} note={mistakes > 0 ? t('lines.mistakes', { count: mistakes }) : undefined} />
      </Group>
    </Stack>
  );
}

/** Subtotal, tax (per rate when there are several) and total, in a small table. */
export function TotalsPreview({
  totals,
  money,
  note,
  extra,
}: {
  totals: { subtotal: number; tax: number; total: number; taxByRate?: { taxRateBP: number; tax: number }[] };
  money: (v: number) => string;
  note?: string;
  /** Rows under the total (Paid, Balance due); `strong` in bold like the total. */
  extra?: { label: string; value: number; strong?: boolean }[];
}) {
  const { t } = useTranslation('invoicing');
  const rates = (totals.taxByRate ?? []).filter((r) => r.taxRateBP > 0);
  return (
    <Stack gap={4} miw={260}>
      <Table withRowBorders={false} verticalSpacing={2} aria-label={t('totals.label')}>
        <Table.Tbody>
          <TotalRow label={t('totals.subtotal')} value={money(totals.subtotal)} />
          {rates.length > 1 ? (
            rates.map((r) => <TotalRow key={r.taxRateBP} label={t('totals.taxAt', { rate: formatTaxRate(r.taxRateBP) })} value={money(r.tax)} />)
          ) : (
            <TotalRow label={rates.length === 1 ? t('totals.taxAt', { rate: formatTaxRate(rates[0].taxRateBP) }) : t('totals.tax')} value={money(totals.tax)} />
          )}
          <TotalRow label={t('columns.total')} value={money(totals.total)} strong />
          {extra?.map((e) => <TotalRow key={e.label} label={e.label} value={money(e.value)} strong={e.strong} />)}
        </Table.Tbody>
      </Table>
      {note && (
        <Text size="xs" c="orange.8">
          {note}
        </Text>
      )}
    </Stack>
  );
}

function TotalRow({ label, value, strong = false }: { label: string; value: string; strong?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th fw={strong ? 700 : 500} scope="row">
        {label}
      </Table.Th>
      <Table.Td ta="right" fw={strong ? 700 : undefined} style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Table.Td>
    </Table.Tr>
  );
}
