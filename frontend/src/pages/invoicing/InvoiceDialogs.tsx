import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useRecordPayment, type Invoice, type PaymentMethod } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { formatMoney, moneyValidator, parseMoney, toMoneyInput } from '../../lib/money';
import { today } from '../projects/CostDialogs';
import { METHOD_LABELS, invoiceName } from './status';

const METHODS: PaymentMethod[] = ['bank_transfer', 'cash', 'card', 'other'];

/** Recording money received by hand on a sent invoice: at most what it still owes. */
export function RecordPaymentModal({ invoice, opened, onClose }: { invoice: Invoice; opened: boolean; onClose: () => void }) {
  const record = useRecordPayment(invoice.id);
  const currency = invoice.currency;
  const [error, setError] = useState<string | null>(null);
  const amountRule = moneyValidator(currency, { required: true, message: 'Enter the amount received.' });
  const initial = () => ({ amount: toMoneyInput(invoice.balance, currency), method: 'bank_transfer', receivedOn: today(), reference: '' });
  const form = useForm({
    mode: 'controlled',
    initialValues: initial(),
    validate: {
      amount: (v: string) => {
        const problem = amountRule(v);
        if (problem) return problem;
        const value = parseMoney(v, currency).value ?? 0;
        if (value === 0) return 'Enter an amount above zero.';
        if (value > invoice.balance) return `That is more than is owed: ${formatMoney(invoice.balance, currency)} remain.`;
        return null;
      },
      method: (v: string) => (v ? null : 'Choose how it was paid.'),
      receivedOn: (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? null : 'Enter the day the money arrived.'),
    },
  });
  useEffect(() => {
    if (opened) {
      form.setInitialValues(initial());
      form.reset();
      setError(null);
    }
    // Only when it opens (form is a new object each render).
  }, [opened]);

  const submit = form.onSubmit(async (v) => {
    setError(null);
    const amount = parseMoney(v.amount, currency).value ?? 0;
    try {
      await record.mutateAsync({
        amount,
        method: v.method as PaymentMethod,
        receivedOn: v.receivedOn,
        reference: v.reference.trim(),
      });
      notifications.show({ color: 'teal', message: `Recorded ${formatMoney(amount, currency)} received on ${invoiceName(invoice).toLowerCase()}.` });
      onClose();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title="Record a payment" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            Money received on {invoiceName(invoice).toLowerCase()}: {formatMoney(invoice.balance, currency)} is still owed.
          </Text>
          <ErrorAlert message={error} />
          <TextInput
            label="Amount"
            description={`In ${currency}, like ${toMoneyInput(invoice.balance, currency)}.`}
            inputMode="decimal"
            autoComplete="off"
            data-autofocus
            {...form.getInputProps('amount')}
          />
          <Select
            label="Method"
            data={METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
            allowDeselect={false}
            {...form.getInputProps('method')}
          />
          <TextInput label="Received on" type="date" {...form.getInputProps('receivedOn')} />
          <TextInput
            label="Reference"
            description="Optional: the bank's reference, a receipt number…"
            maxLength={200}
            autoComplete="off"
            {...form.getInputProps('reference')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={record.isPending}>
              Record payment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
