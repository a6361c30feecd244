import { Button, Divider, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { User } from '../../api/client';
import { useSetHourRate } from '../../api/costs';
import { ErrorAlert } from '../../components/ErrorAlert';
import i18n from '../../i18n';
import { applyServerError } from '../../lib/forms';
import { formatMoney, moneyValidator, parseMoney, toMoneyInput } from '../../lib/money';
import { allows, useReadOnly } from '../../lib/readOnly';

/** A team member's hour rate as the list and the drawer say it: "€65.00", or "Not set". */
export function hourRateText(rate: number | null | undefined, currency: string): string {
  return rate === null || rate === undefined ? i18n.t('users:hourRate.notSet') : formatMoney(rate, currency);
}

/**
 * What an hour of a team member costs, in their drawer: shown only when their answer
 * carries it (rates.view), changed only with rates.edit in their actions (an Admin's;
 * a Manager sees it and never changes it). Client accounts have none.
 */
export function HourRateSection({ user, currency }: { user: User; currency: string }) {
  const { t } = useTranslation('users', { keyPrefix: 'hourRate' });
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
        message: value === null ? t('cleared', { name: user.name }) : t('set', { name: user.name, amount: formatMoney(value, currency) }),
      });
      setEditing(false);
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <Stack gap="xs" component="section" aria-label={t('section')}>
      <Divider my="sm" />
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          <Trans t={t} i18nKey="current" values={{ rate: hourRateText(user.hourRate, currency) }} components={{ b: <b /> }} />
        </Text>
        {mayEdit && !editing && (
          <Button size="compact-sm" variant="default" onClick={open}>
            {t('change')}
          </Button>
        )}
      </Group>
      {editing && (
        <form onSubmit={submit} noValidate>
          <Stack gap="xs">
            <ErrorAlert message={error} />
            <TextInput
              label={t('label')}
              description={t('help', { name: user.name, currency })}
              inputMode="decimal"
              autoComplete="off"
              data-autofocus
              {...form.getInputProps('hourRate')}
            />
            <Group justify="flex-end">
              <Button variant="default" size="xs" onClick={() => setEditing(false)}>
                {t('cancel')}
              </Button>
              <Button type="submit" size="xs" loading={save.isPending}>
                {t('save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
