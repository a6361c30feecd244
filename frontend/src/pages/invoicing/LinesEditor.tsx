import { ActionIcon, Button, Group, Stack, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { formatMoney } from '../../lib/money';
import { isBlank, newLine, parseLine, type InvoiceFormValues, type LineColumn } from './invoiceForm';
import { MAX_DESCRIPTION, formatTaxRate, invoiceTotals, lineAmount, type Line } from './totals';

const COLUMNS: { column: LineColumn; label: string }[] = [
  { column: 'description', label: 'Description' },
  { column: 'quantity', label: 'Quantity' },
  { column: 'unitPrice', label: 'Unit price' },
  { column: 'taxRate', label: 'Tax %' },
];

/**
 * A draft's lines, one row of fields each, with each line's amount and the totals as the
 * server will add them up. Keyboard: Tab moves along a line; Enter moves to the same field
 * of the next line (a new line after the last); each line has its own Remove button.
 */
export function LinesEditor({ form, currency }: { form: UseFormReturnType<InvoiceFormValues>; currency: string }) {
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
        <Table verticalSpacing={4} aria-label="Invoice lines" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36}>#</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th w={100}>Quantity</Table.Th>
              <Table.Th w={130}>Unit price ({currency})</Table.Th>
              <Table.Th w={90}>Tax %</Table.Th>
              <Table.Th w={130} ta="right">
                Amount
              </Table.Th>
              <Table.Th w={44}>
                <VisuallyHidden>Remove</VisuallyHidden>
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
                  {COLUMNS.map(({ column, label }) => (
                    <Table.Td key={column}>
                      <TextInput
                        aria-label={`Line ${i + 1} ${label.toLowerCase()}`}
                        placeholder={column === 'description' ? 'What was done or delivered' : column === 'taxRate' ? '0' : undefined}
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
                    <Tooltip label="Remove line">
                      <ActionIcon variant="subtle" color="red" mt={4} aria-label={`Remove line ${i + 1}`} onClick={() => remove(i)}>
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
            Add line
          </Button>
          <Text size="xs" c="dimmed">
            Enter moves to the line below. A line with neither a description nor a price is left out.
          </Text>
        </Stack>
        <TotalsPreview totals={totals} money={money} note={mistakes > 0 ? `${mistakes === 1 ? 'A line' : `${mistakes} lines`} with a mistake ${mistakes === 1 ? 'is' : 'are'} not counted.` : undefined} />
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
  extra?: { label: string; value: number }[];
}) {
  const rates = (totals.taxByRate ?? []).filter((r) => r.taxRateBP > 0);
  return (
    <Stack gap={4} miw={260}>
      <Table withRowBorders={false} verticalSpacing={2} aria-label="Totals">
        <Table.Tbody>
          <TotalRow label="Subtotal" value={money(totals.subtotal)} />
          {rates.length > 1 ? (
            rates.map((r) => <TotalRow key={r.taxRateBP} label={`Tax ${formatTaxRate(r.taxRateBP)}`} value={money(r.tax)} />)
          ) : (
            <TotalRow label={rates.length === 1 ? `Tax ${formatTaxRate(rates[0].taxRateBP)}` : 'Tax'} value={money(totals.tax)} />
          )}
          <TotalRow label="Total" value={money(totals.total)} strong />
          {extra?.map((e) => <TotalRow key={e.label} label={e.label} value={money(e.value)} strong={e.label === 'Balance due'} />)}
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
