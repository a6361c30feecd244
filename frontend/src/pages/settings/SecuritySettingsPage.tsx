import { Alert, Button, Divider, Group, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from '../../i18n';
import type { Me } from '../../api/client';
import { LIMITS, type SecuritySettings, useSecuritySettings, useUpdateSecuritySettings } from '../../api/security';
import { applyServerError } from '../../lib/forms';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useReadOnly } from '../../lib/readOnly';
import { SettingsTab } from './SettingsTab';

type Field = keyof typeof LIMITS;

export type SecurityFormValues = Record<Field, number | string> & { twoFactorRoles: string[]; retention: 'forever' | 'days' };

/** The days offered when the activity log stops being kept for ever. */
const DEFAULT_RETENTION_DAYS = 365;

/** What the form starts from: the settings as saved. */
export function securityFormValues(s: SecuritySettings): SecurityFormValues {
  return {
    minPasswordLength: s.minPasswordLength,
    idleTimeoutMinutes: s.idleTimeoutMinutes,
    sessionLifetimeHours: s.sessionLifetimeHours,
    throttleAccount: s.throttleAccount,
    throttleAccountWide: s.throttleAccountWide,
    throttleAddress: s.throttleAddress,
    twoFactorRoles: s.twoFactorRoles,
    retention: s.activityRetentionDays === 0 ? 'forever' : 'days',
    activityRetentionDays: s.activityRetentionDays || DEFAULT_RETENTION_DAYS,
  };
}

/** A whole number within the setting's range, said as the server says it. */
export function inRange(field: Field) {
  const [low, high] = LIMITS[field];
  return (v: number | string) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (v === '' || !Number.isInteger(n)) return i18next.t('security:wholeNumber');
    return n < low || n > high ? i18next.t('security:fromTo', { low, high }) : null;
  };
}

/** Settings → Security, for holders of settings.security. */
export function SecuritySettingsPage({ me }: { me: Me }) {
  const { t } = useTranslation('security');
  const settings = useSecuritySettings();
  return (
    <SettingsTab title={t('title')} intro={t('description')} settings={settings}>
      {(data, loadedAt) => <SecuritySettingsForm key={loadedAt} settings={data} me={me} />}
    </SettingsTab>
  );
}

export function SecuritySettingsForm({ settings, me }: { settings: SecuritySettings; me: Me }) {
  const { t } = useTranslation('security');
  const readOnly = useReadOnly();
  const save = useUpdateSecuritySettings();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SecurityFormValues>({
    mode: 'controlled',
    initialValues: securityFormValues(settings),
    validate: {
      minPasswordLength: inRange('minPasswordLength'),
      idleTimeoutMinutes: (v, values) =>
        inRange('idleTimeoutMinutes')(v) ??
        (Number(v) > Number(values.sessionLifetimeHours) * 60 ? t('atMostLifetime') : null),
      sessionLifetimeHours: inRange('sessionLifetimeHours'),
      throttleAccount: inRange('throttleAccount'),
      throttleAccountWide: inRange('throttleAccountWide'),
      throttleAddress: inRange('throttleAddress'),
      activityRetentionDays: (v, values) => (values.retention === 'days' ? inRange('activityRetentionDays')(v) : null),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await save.mutateAsync({
        minPasswordLength: Number(values.minPasswordLength),
        idleTimeoutMinutes: Number(values.idleTimeoutMinutes),
        sessionLifetimeHours: Number(values.sessionLifetimeHours),
        throttleAccount: Number(values.throttleAccount),
        throttleAccountWide: Number(values.throttleAccountWide),
        throttleAddress: Number(values.throttleAddress),
        twoFactorRoles: values.twoFactorRoles,
        activityRetentionDays: values.retention === 'forever' ? 0 : Number(values.activityRetentionDays),
      });
      notifications.show({ color: 'teal', message: t('saved') });
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });

  const number = (field: Field, label: string, help: string) => {
    const [low, high] = LIMITS[field];
    return (
      <NumberInput
        label={t(label)}
        description={t('range', { help: t(help), low, high })}
        min={low}
        max={high}
        allowDecimal={false}
        allowNegative={false}
        // The range is said on the field rather than silently imposed.
        clampBehavior="none"
        {...form.getInputProps(field)}
      />
    );
  };

  const roles = settings.roles.map((r) => ({ value: r.id, label: r.kind === 'client' ? t('clientRole', { name: r.name }) : r.name }));
  const requiresOwn = form.values.twoFactorRoles.includes(me.role.id) && !me.user.twoFactor;

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label={t('policies')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group gap="xs">
            <IconShieldLock size={20} />
            <Title order={2} size="h4">
              {t('policies')}
            </Title>
          </Group>
          <ErrorAlert message={formError} />
          <Divider label={t('passwords')} labelPosition="left" />
          {number('minPasswordLength', 'minPasswordLength', 'minPasswordLengthHelp')}
          <Divider label={t('sessions')} labelPosition="left" mt="xs" />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            {number('idleTimeoutMinutes', 'idleTimeout', 'idleTimeoutHelp')}
            {number('sessionLifetimeHours', 'sessionLifetime', 'sessionLifetimeHelp')}
          </SimpleGrid>
          <Divider label={t('throttle')} labelPosition="left" mt="xs" />
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            {number('throttleAccount', 'throttleAccount', 'throttleAccountHelp')}
            {number('throttleAccountWide', 'throttleAccountWide', 'throttleAccountWideHelp')}
            {number('throttleAddress', 'throttleAddress', 'throttleAddressHelp')}
          </SimpleGrid>
          <Divider label={t('twoFactor')} labelPosition="left" mt="xs" />
          <MultiSelect
            label={t('twoFactorRoles')}
            description={t('twoFactorRolesHelp')}
            data={roles}
            searchable
            clearable
            placeholder={form.values.twoFactorRoles.length ? undefined : t('noRole')}
            {...form.getInputProps('twoFactorRoles')}
          />
          {requiresOwn && (
            <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
              {t('ownRole', { role: me.role.name })}
            </Alert>
          )}
          <Divider label={t('activity')} labelPosition="left" mt="xs" />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <Select
              label={t('retention')}
              description={t('retentionHelp')}
              data={[
                { value: 'forever', label: t('forever') },
                { value: 'days', label: t('forDays') },
              ]}
              allowDeselect={false}
              {...form.getInputProps('retention')}
            />
            {form.values.retention === 'days' && number('activityRetentionDays', 'retentionDays', 'retentionDaysHelp')}
          </SimpleGrid>
          <Text size="sm" c="dimmed">
            {t('loosening')}
          </Text>
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={readOnly}>
              {t('common:save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
