import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRecordPayment, type Invoice, type PaymentMethod } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError, useFormOnOpen } from '../../lib/forms';
import { formatMoney, moneyValidator, parseMoney, toMoneyInput } from '../../lib/money';
import { today } from '../projects/CostDialogs';
import { invoiceName, methodLabel } from './status';

const METHODS: PaymentMethod[] = ['bank_transfer', 'cash', 'card', 'other'];

/** Recording money received by hand on a sent invoice: at most what it still owes. */
export function RecordPaymentModal({ invoice, opened, onClose }: { invoice: Invoice; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('invoicing');
  const record = useRecordPayment(invoice.id);
  const currency = invoice.currency;
  const [error, setError] = useState<string | null>(null);
  const amountRule = moneyValidator(currency, { required: true, message: t('recordPayment.amountRequired') });
  const initial = () => ({ amount: toMoneyInput(invoice.balance, currency), method: 'bank_transfer', receivedOn: today(), reference: '' });
  const form = useForm({
    mode: 'controlled',
    initialValues: initial(),
    validate: {
      amount: (v: string) => {
        const problem = amountRule(v);
        if (problem) return problem;
        const value = parseMoney(v, currency).value ?? 0;
        if (value === 0) return t('recordPayment.amountPositive');
        if (value > invoice.balance) return t('recordPayment.moreThanOwed', { amount: formatMoney(invoice.balance, currency) });
        return null;
      },
      method: (v: string) => (v ? null : t('recordPayment.methodRequired')),
      receivedOn: (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? null : t('recordPayment.receivedOnRequired')),
    },
  });
  useFormOnOpen(opened, form, initial, () => setError(null));

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
      notifications.show({ color: 'teal', message: t('recordPayment.recorded', { amount: formatMoney(amount, currency), invoice: invoiceName(invoice, true) }) });
      onClose();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('recordPayment.title')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            {t('recordPayment.intro', { invoice: invoiceName(invoice, true), amount: formatMoney(invoice.balance, currency) })}
          </Text>
          <ErrorAlert message={error} />
          <TextInput
            label={t('lines.amount')}
            description={t('recordPayment.amountHint', { currency, example: toMoneyInput(invoice.balance, currency) })}
            inputMode="decimal"
            autoComplete="off"
            data-autofocus
            {...form.getInputProps('amount')}
          />
          <Select
            label={t('payments.method')}
            data={METHODS.map((m) => ({ value: m, label: methodLabel(m) }))}
            allowDeselect={false}
            {...form.getInputProps('method')}
          />
          <TextInput label={t('payments.receivedOn')} type="date" {...form.getInputProps('receivedOn')} />
          <TextInput
            label={t('payments.reference')}
            description={t('recordPayment.referenceHint')}
            maxLength={200}
            autoComplete="off"
            {...form.getInputProps('reference')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={record.isPending}>
              {t('invoicePage.actions.recordPayment')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
