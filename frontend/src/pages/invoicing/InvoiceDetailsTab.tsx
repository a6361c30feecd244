import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCreditCard, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { useInvoicingSettings, useUpdateInvoicingSettings, type InvoicingSettings, type InvoicingSettingsRequest } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';

/** Who issues the invoices (printed on each) and how clients pay without a gateway. */
export function InvoiceDetailsTab() {
  const settings = useInvoicingSettings();
  if (settings.isPending) return <Loading label="Loading the invoice details…" />;
  if (settings.isError) return <ErrorAlert message={errorMessage(settings.error)} />;
  return <InvoiceDetailsForm key={settings.dataUpdatedAt} settings={settings.data} />;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function InvoiceDetailsForm({ settings }: { settings: InvoicingSettings }) {
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
      issuerName: (v) => (v.trim() ? null : 'Enter the name invoices are issued in: invoices are not sent without it.'),
      issuerEmail: (v) => (!v.trim() || EMAIL_SHAPE.test(v.trim()) ? null : 'Enter a valid email address, like billing@example.com'),
    },
  });

  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const trimmed = Object.fromEntries(Object.entries(v).map(([k, s]) => [k, s.trim()])) as InvoicingSettingsRequest;
      await save.mutateAsync(trimmed);
      form.resetDirty();
      notifications.show({ color: 'teal', message: 'Invoice details saved.' });
    } catch (e) {
      setError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Invoice details">
      <Stack gap="md" maw={720}>
        <div>
          <Title order={2} size="h4">
            Issuer
          </Title>
          <Text size="sm" c="dimmed">
            Printed at the top of every invoice.
          </Text>
        </div>
        {!editable && (
          <Alert color="gray" icon={<IconInfoCircle size={18} />}>
            {readOnly ? 'Viewing as someone: nothing can be changed.' : 'Only people who may edit invoices change these details.'}
          </Alert>
        )}
        <ErrorAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label="Name" withAsterisk={editable} readOnly={!editable} autoComplete="organization" {...form.getInputProps('issuerName')} />
          <TextInput label="Email" type="email" readOnly={!editable} autoComplete="email" {...form.getInputProps('issuerEmail')} />
          <TextInput label="Phone" readOnly={!editable} autoComplete="tel" {...form.getInputProps('issuerPhone')} />
        </SimpleGrid>
        <Textarea label="Address" readOnly={!editable} autosize minRows={3} {...form.getInputProps('issuerAddress')} />

        <div>
          <Title order={2} size="h4">
            Payment
          </Title>
          <Group gap="xs" mt={4}>
            <IconCreditCard size={16} aria-hidden />
            <Text size="sm">
              {settings.gateway === 'stripe'
                ? 'Online payments through Stripe are connected: clients pay open invoices from their portal.'
                : 'No payment gateway is connected: clients see the instructions below.'}
            </Text>
          </Group>
        </div>
        <Textarea
          label="Payment instructions"
          description="How to pay without a gateway: bank account, the reference to quote, terms. Clients see them in their portal."
          readOnly={!editable}
          autosize
          minRows={3}
         
          {...form.getInputProps('paymentInstructions')}
        />
        {editable && (
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
              Save details
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
