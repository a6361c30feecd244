import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCreditCard, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useInvoicingSettings, useUpdateInvoicingSettings, type InvoicingSettings, type InvoicingSettingsRequest } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';

/** Who issues the invoices (printed on each) and how clients pay without a gateway. */
export function InvoiceDetailsTab() {
  const { t } = useTranslation('invoicing');
  const settings = useInvoicingSettings();
  if (settings.isPending) return <Loading label={t('details.loading')} />;
  if (settings.isError) return <ErrorAlert message={errorMessage(settings.error)} />;
  return <InvoiceDetailsForm key={settings.dataUpdatedAt} settings={settings.data} />;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function InvoiceDetailsForm({ settings }: { settings: InvoicingSettings }) {
  const { t } = useTranslation('invoicing');
  const readOnly = useReadOnly();
  const editable = settings.canEdit && !readOnly;
  const save = useUpdateInvoicingSettings();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<InvoicingSettingsRequest>({
    mode: 'controlled',
    initialValues: {
      issuerName: settings.issuerName,
      issuerEmail: settings.issuerEmail,
      issuerPhone: settings.issuerPhone,
      issuerAddress: settings.issuerAddress,
      paymentInstructions: settings.paymentInstructions,
    },
    validate: {
      issuerName: (v) => (v.trim() ? null : t('details.nameRequired')),
      issuerEmail: (v) => (!v.trim() || EMAIL_SHAPE.test(v.trim()) ? null : t('details.emailInvalid')),
    },
  });

  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const trimmed = Object.fromEntries(Object.entries(v).map(([k, s]) => [k, s.trim()])) as InvoicingSettingsRequest;
      await save.mutateAsync(trimmed);
      form.resetDirty();
      notifications.show({ color: 'teal', message: t('details.saved') });
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t('section.tabs.details')}>
      <Stack gap="md" maw={720}>
        <div>
          <Title order={2} size="h4">
            {t('details.issuer')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('details.issuerHint')}
          </Text>
        </div>
        {!editable && (
          <Alert color="gray" icon={<IconInfoCircle size={18} />}>
            {readOnly ? t('details.viewingAs') : t('details.notEditable')}
          </Alert>
        )}
        <ErrorAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label={t('details.name')} withAsterisk={editable} readOnly={!editable} autoComplete="organization" {...form.getInputProps('issuerName')} />
          <TextInput label={t('details.email')} type="email" readOnly={!editable} autoComplete="email" {...form.getInputProps('issuerEmail')} />
          <TextInput label={t('details.phone')} readOnly={!editable} autoComplete="tel" {...form.getInputProps('issuerPhone')} />
        </SimpleGrid>
        <Textarea label={t('details.address')} readOnly={!editable} autosize minRows={3} {...form.getInputProps('issuerAddress')} />

        <div>
          <Title order={2} size="h4">
            {t('details.payment')}
          </Title>
          <Group gap="xs" mt={4}>
            <IconCreditCard size={16} aria-hidden />
            <Text size="sm">
              {settings.gateway === 'stripe'
                ? t('details.stripeConnected')
                : t('details.noGateway')}
            </Text>
          </Group>
        </div>
        <Textarea
          label={t('details.instructions')}
          description={t('details.instructionsHint')}
          readOnly={!editable}
          autosize
          minRows={3}
          {...form.getInputProps('paymentInstructions')}
        />
        {editable && (
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
              {t('details.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
