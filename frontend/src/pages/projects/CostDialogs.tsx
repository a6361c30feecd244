import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useAddCost, useDeleteCost, useSetBudget, type ProjectCost } from '../../api/costs';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDay } from '../../lib/format';
import { applyServerError, useFormOnOpen } from '../../lib/forms';
import { formatMoney, moneyValidator, parseMoney, toMoneyInput } from '../../lib/money';
import { requiredText } from '../../lib/validation';

/** The server's limit on a cost's description (backend/costs). */
export const MAX_DESCRIPTION = 200;

/** Today as YYYY-MM-DD in the reader's own time zone (toISOString would be UTC's day). */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Setting a project's budget: an amount, or nothing for no budget. */
export function BudgetModal({
  opened,
  projectId,
  budget,
  currency,
  onClose,
}: {
  opened: boolean;
  projectId: string;
  budget: number | null;
  currency: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('costs');
  const setBudget = useSetBudget(projectId);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { budget: '' },
    validate: { budget: moneyValidator(currency) },
  });
  useFormOnOpen(opened, form, () => ({ budget: budget === null ? '' : toMoneyInput(budget, currency) }), () => setError(null));

  const submit = form.onSubmit(async (v) => {
    setError(null);
    const value = parseMoney(v.budget, currency).value;
    try {
      await setBudget.mutateAsync(value);
      notifications.show({ color: 'teal', message: value === null ? t('budget.removed') : t('budget.set', { amount: formatMoney(value, currency) }) });
      onClose();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('budget.title')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <ErrorAlert message={error} />
          <TextInput
            label={t('budget.label')}
            description={t('budget.help', { currency })}
            inputMode="decimal"
            autoComplete="off"
            data-autofocus
            {...form.getInputProps('budget')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={setBudget.isPending}>
              {t('budget.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Recording an extra cost: what it was for, how much, and the day it was spent. */
export function AddCostModal({
  opened,
  projectId,
  currency,
  onClose,
}: {
  opened: boolean;
  projectId: string;
  currency: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('costs');
  const add = useAddCost(projectId);
  const [error, setError] = useState<string | null>(null);
  const amountRule = moneyValidator(currency, { required: true, message: t('add.amountRequired') });
  const form = useForm({
    mode: 'controlled',
    initialValues: { description: '', amount: '', date: today() },
    validate: {
      description: requiredText(t('add.descriptionRequired')),
      amount: (v: string) => amountRule(v) ?? (parseMoney(v, currency).value === 0 ? t('add.amountAboveZero') : null),
      date: (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? null : t('add.dateRequired')),
    },
  });
  useFormOnOpen(opened, form, () => ({ description: '', amount: '', date: today() }), () => setError(null));

  const submit = form.onSubmit(async (v) => {
    setError(null);
    const amount = parseMoney(v.amount, currency).value ?? 0;
    try {
      const c = await add.mutateAsync({ description: v.description.trim(), amount, date: v.date });
      notifications.show({ color: 'teal', message: t('add.added', { description: c.description, amount: formatMoney(c.amount, currency) }) });
      onClose();
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('add.title')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <ErrorAlert message={error} />
          <TextInput
            label={t('add.description')}
            placeholder={t('add.descriptionPlaceholder')}
            maxLength={MAX_DESCRIPTION}
            autoComplete="off"
            data-autofocus
            {...form.getInputProps('description')}
          />
          <TextInput
            label={t('add.amount')}
            description={t('add.amountHelp', { currency })}
            inputMode="decimal"
            autoComplete="off"
            {...form.getInputProps('amount')}
          />
          <TextInput label={t('add.date')} type="date" {...form.getInputProps('date')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {t('add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Removing an extra cost, once confirmed. */
export function DeleteCostModal({ cost, currency, onClose }: { cost: ProjectCost | null; currency: string; onClose: () => void }) {
  const { t } = useTranslation('costs');
  const del = useDeleteCost();
  const [error, setError] = useState<string | null>(null);
  // Kept while the modal closes, so its text does not empty in the closing animation.
  const [shown, setShown] = useState<ProjectCost | null>(cost);
  useEffect(() => {
    if (cost) {
      setShown(cost);
      setError(null);
    }
  }, [cost]);
  const confirm = async () => {
    if (!shown) return;
    try {
      await del.mutateAsync(shown.id);
      notifications.show({ color: 'teal', message: t('delete.removed', { description: shown.description }) });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <ConfirmModal
      opened={cost !== null}
      title={t('delete.title')}
      confirmLabel={t('delete.confirm')}
      onClose={onClose}
      onConfirm={confirm}
      loading={del.isPending}
      error={error}
    >
      {shown && (
        <Text size="sm">
          {t('delete.text', { description: shown.description, amount: formatMoney(shown.amount, currency), date: formatDay(shown.date) })}
        </Text>
      )}
    </ConfirmModal>
  );
}
