import { Button, Divider, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { User } from '../../api/client';
import { useSetHourRate } from '../../api/costs';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { formatMoney, moneyValidator, parseMoney, toMoneyInput } from '../../lib/money';
import { allows, useReadOnly } from '../../lib/readOnly';

/** A team member's hour rate as the list and the drawer say it: "€65.00", or "Not set". */
export function hourRateText(rate: number | null | undefined, currency: string): string {
  return rate === null || rate === undefined ? 'Not set' : formatMoney(rate, currency);
}

/**
 * What an hour of a team member costs, in their drawer: shown only when their answer
 * carries it (rates.view), changed only with rates.edit in their actions (an Admin's;
 * a Manager sees it and never changes it). Client accounts have none.
 */
export function HourRateSection({ user, currency }: { user: User; currency: string }) {
  const readOnly = useReadOnly();
  const save = useSetHourRate();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { hourRate: '' },
    validate: { hourRate: moneyValidator(currency) },
  });

  if (user.roleKind !== 'internal' || !('hourRate' in user)) return null;
  const mayEdit = allows(user.actions, 'rates.edit', readOnly);

  const open = () => {
    const v = user.hourRate;
    form.setInitialValues({ hourRate: v === null || v === undefined ? '' : toMoneyInput(v, currency) });
    form.reset();
    setError(null);
    setEditing(true);
  };

  const submit = form.onSubmit(async (v) => {
    setError(null);
    const value = parseMoney(v.hourRate, currency).value;
    try {
      await save.mutateAsync({ id: user.id, hourRate: value });
      notifications.show({
        color: 'teal',
        message: value === null ? `${user.name} has no hour rate now.` : `${user.name}'s hour rate is now ${formatMoney(value, currency)}.`,
      });
      setEditing(false);
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <Stack gap="xs" component="section" aria-label="Hour rate">
      <Divider my="sm" />
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          Hour rate: <b>{hourRateText(user.hourRate, currency)}</b>
        </Text>
        {mayEdit && !editing && (
          <Button size="compact-sm" variant="default" onClick={open}>
            Change hour rate
          </Button>
        )}
      </Group>
      {editing && (
        <form onSubmit={submit} noValidate>
          <Stack gap="xs">
            <ErrorAlert message={error} />
            <TextInput
              label="Hour rate"
              description={`What an hour of ${user.name}'s time costs, in ${currency}. Leave it empty when it is not known.`}
              inputMode="decimal"
              autoComplete="off"
              data-autofocus
              {...form.getInputProps('hourRate')}
            />
            <Group justify="flex-end">
              <Button variant="default" size="xs" onClick={() => setEditing(false)}>
                Cancel
              </Button>
              <Button type="submit" size="xs" loading={save.isPending}>
                Save hour rate
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
