import { Button, ColorSwatch, FileButton, Group, Image, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconBuilding, IconPhoto, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { type GeneralSettings, useDeleteLogo, useGeneralSettings, useUpdateGeneralSettings, useUploadLogo } from '../../api/organisation';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';

type Values = { name: string; accent: string; timezone: string; currency: string; dateFormat: string; numberFormat: string };

/** Every IANA time zone the browser knows (the server checks again against its own list). */
function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

// An example of each format, on a day where day and month differ.
const SAMPLE_DAY: Record<string, string> = {
  locale: new Date(2026, 10, 30).toLocaleDateString(undefined, { dateStyle: 'medium' }),
  'YYYY-MM-DD': '2026-11-30',
  'DD/MM/YYYY': '30/11/2026',
  'MM/DD/YYYY': '11/30/2026',
  'DD.MM.YYYY': '30.11.2026',
};
const SAMPLE_NUMBER: Record<string, string> = {
  locale: (1234.56).toLocaleString(undefined, { minimumFractionDigits: 2 }),
  '1,234.56': '1,234.56',
  '1.234,56': '1.234,56',
  '1 234,56': '1 234,56',
};

/** What the server will refuse, said first (it checks again). */
export function checkCurrency(v: string): string | null {
  return /^[A-Z]{3}$/.test(v.trim().toUpperCase()) ? null : 'Enter the three-letter ISO 4217 code, such as EUR, USD or BRL.';
}

/** Settings → General (settings.general): who the organisation is and how dates and amounts read. */
export function GeneralSettingsPage() {
  const settings = useGeneralSettings();
  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          General
        </Title>
        <Text c="dimmed">Your organisation's name and logo, its colour, and how dates and amounts are written for everyone.</Text>
      </div>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorAlert message={errorMessage(settings.error)} />
      ) : (
        <>
          <LogoSection settings={settings.data} />
          <GeneralSettingsForm key={settings.dataUpdatedAt} settings={settings.data} />
        </>
      )}
    </Stack>
  );
}

export function GeneralSettingsForm({ settings }: { settings: GeneralSettings }) {
  const readOnly = useReadOnly();
  const save = useUpdateGeneralSettings();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: settings.name,
      accent: settings.accent,
      timezone: settings.timezone,
      currency: settings.currency,
      dateFormat: settings.dateFormat,
      numberFormat: settings.numberFormat,
    },
    validate: {
      name: (v) => (v.trim().length > 100 ? 'The name is too long: at most 100 characters.' : null),
      currency: checkCurrency,
    },
  });
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      await save.mutateAsync({ ...v, name: v.name.trim(), currency: v.currency.trim().toUpperCase() });
      notifications.show({ color: 'teal', message: 'General settings saved.' });
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label="Organisation">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group gap="xs">
            <IconBuilding size={20} />
            <Title order={2} size="h4">
              Organisation
            </Title>
          </Group>
          <ErrorAlert message={formError} />
          <TextInput
            label="Organisation name"
            description="Shown in the window's title, on the sign-in screen, in the client portal, in mails and on invoices."
            placeholder="Acme Studio"
            maxLength={100}
            {...form.getInputProps('name')}
          />
          <Select
            label="Accent colour"
            data={settings.choices.accents.map((c) => ({ value: c, label: c[0].toUpperCase() + c.slice(1) }))}
            allowDeselect={false}
            leftSection={<ColorSwatch color={`var(--mantine-color-${form.values.accent}-6)`} size={16} />}
            renderOption={({ option }) => (
              <Group gap="xs">
                <ColorSwatch color={`var(--mantine-color-${option.value}-6)`} size={14} />
                {option.label}
              </Group>
            )}
            {...form.getInputProps('accent')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Time zone"
              description="Every date and time is shown in it; an invoice is dated by it."
              data={timeZones(settings.timezone)}
              searchable
              allowDeselect={false}
              nothingFoundMessage="No such time zone"
              {...form.getInputProps('timezone')}
            />
            <TextInput
              label="Currency"
              description="Amounts are kept in it. It can change only until the first invoice, cost, budget or hour rate."
              maxLength={3}
              {...form.getInputProps('currency')}
            />
            <Select
              label="Date format"
              data={settings.choices.dateFormats.map((f) => ({
                value: f,
                label: f === 'locale' ? `As each reader's language writes it (${SAMPLE_DAY.locale})` : `${f} (${SAMPLE_DAY[f] ?? f})`,
              }))}
              allowDeselect={false}
              {...form.getInputProps('dateFormat')}
            />
            <Select
              label="Number format"
              data={settings.choices.numberFormats.map((f) => ({
                value: f,
                label: f === 'locale' ? `As each reader's language writes it (${SAMPLE_NUMBER.locale})` : SAMPLE_NUMBER[f] ?? f,
              }))}
              allowDeselect={false}
              {...form.getInputProps('numberFormat')}
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button type="submit" loading={save.isPending} disabled={readOnly || !form.isDirty()}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function LogoSection({ settings }: { settings: GeneralSettings }) {
  const readOnly = useReadOnly();
  const upload = useUploadLogo();
  const remove = useDeleteLogo();
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const choose = async (file: File | null) => {
    if (!file) return;
    setError(null);
    try {
      await upload.mutateAsync(file);
      notifications.show({ color: 'teal', message: 'The logo is saved.' });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label="Logo">
      <Stack gap="sm">
        <Group gap="xs">
          <IconPhoto size={20} />
          <Title order={2} size="h4">
            Logo
          </Title>
        </Group>
        <ErrorAlert message={error} />
        {settings.logoUrl ? (
          <Image src={settings.logoUrl} alt="The organisation's logo" h={64} w="auto" fit="contain" maw={320} />
        ) : (
          <Text c="dimmed" size="sm">
            No logo yet. Add one to show it beside your name on every screen and on invoices.
          </Text>
        )}
        <Text size="sm" c="dimmed">
          A PNG or JPEG of at most 512 KB and 2048 pixels a side.
        </Text>
        <Group gap="sm">
          <FileButton onChange={choose} accept="image/png,image/jpeg" disabled={readOnly}>
            {(props) => (
              <Button {...props} variant="default" leftSection={<IconPhoto size={16} />} loading={upload.isPending} disabled={readOnly}>
                {settings.logoUrl ? 'Replace logo' : 'Add logo'}
              </Button>
            )}
          </FileButton>
          {settings.logoUrl && (
            <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setConfirm(true)} disabled={readOnly}>
              Remove logo
            </Button>
          )}
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirm}
        title="Remove the logo?"
        confirmLabel="Remove"
        loading={remove.isPending}
        onClose={() => setConfirm(false)}
        onConfirm={async () => {
          try {
            await remove.mutateAsync();
            setConfirm(false);
          } catch (e) {
            setError(errorMessage(e));
            setConfirm(false);
          }
        }}
      >
        <Text size="sm">The name alone is shown in its place, on screens and on invoices printed from now on.</Text>
      </ConfirmModal>
    </Paper>
  );
}
