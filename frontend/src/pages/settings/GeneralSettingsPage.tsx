import { Button, ColorSwatch, FileButton, Group, Image, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconBuilding, IconPhoto, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { type GeneralSettings, useDeleteLogo, useGeneralSettings, useUpdateGeneralSettings, useUploadLogo } from '../../api/organisation';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import i18n from '../../i18n';
import { applyServerError } from '../../lib/forms';
import { uiLocale } from '../../lib/org';
import { useReadOnly } from '../../lib/readOnly';
import { SettingsTab } from './SettingsTab';

type Values = { name: string; accent: string; timezone: string; currency: string; dateFormat: string; numberFormat: string; language: string };

/** Every IANA time zone the browser knows (the server checks again against its own list). */
function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

// An example of each format, on a day where day and month differ; "locale" as the UI's
// language writes it (lib/format does the same), so at render time.
const SAMPLE_DAY: Record<string, string | (() => string)> = {
  locale: () => new Date(2026, 10, 30).toLocaleDateString(uiLocale(), { dateStyle: 'medium' }),
  'YYYY-MM-DD': '2026-11-30',
  'DD/MM/YYYY': '30/11/2026',
  'MM/DD/YYYY': '11/30/2026',
  'DD.MM.YYYY': '30.11.2026',
};
const SAMPLE_NUMBER: Record<string, string | (() => string)> = {
  locale: () => (1234.56).toLocaleString(uiLocale(), { minimumFractionDigits: 2 }),
  '1,234.56': '1,234.56',
  '1.234,56': '1.234,56',
  '1 234,56': '1 234,56',
};
const sample = (samples: Record<string, string | (() => string)>, f: string): string => {
  const s = samples[f] ?? f;
  return typeof s === 'function' ? s() : s;
};

/** What the server will refuse, said first (it checks again). */
export function checkCurrency(v: string): string | null {
  return /^[A-Z]{3}$/.test(v.trim().toUpperCase()) ? null : i18n.t('settings:general.currencyInvalid');
}

/** Settings → General (settings.general): who the organisation is and how dates and amounts read. */
export function GeneralSettingsPage() {
  const { t } = useTranslation('settings');
  const settings = useGeneralSettings();
  return (
    <SettingsTab title={t('tabs.general')} intro={t('general.intro')} settings={settings}>
      {(data, loadedAt) => (
        <>
          <LogoSection settings={data} />
          <GeneralSettingsForm key={loadedAt} settings={data} />
        </>
      )}
    </SettingsTab>
  );
}

export function GeneralSettingsForm({ settings }: { settings: GeneralSettings }) {
  const { t } = useTranslation('settings');
  const { t: tl } = useTranslation('language');
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
      language: settings.language,
    },
    validate: {
      name: (v) => (v.trim().length > 100 ? t('general.nameTooLong', { max: 100 }) : null),
      currency: checkCurrency,
    },
  });
  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      await save.mutateAsync({ ...v, name: v.name.trim(), currency: v.currency.trim().toUpperCase() });
      notifications.show({ color: 'teal', message: t('general.saved') });
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label={t('general.organisation')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group gap="xs">
            <IconBuilding size={20} />
            <Title order={2} size="h4">
              {t('general.organisation')}
            </Title>
          </Group>
          <ErrorAlert message={formError} />
          <TextInput
            label={t('general.name')}
            description={t('general.nameHint')}
            placeholder="Acme Studio"
            maxLength={100}
            {...form.getInputProps('name')}
          />
          <Select
            label={t('general.accent')}
            data={settings.choices.accents.map((c) => ({ value: c, label: t(`general.accents.${c}`, { defaultValue: c[0].toUpperCase() + c.slice(1) }) }))}
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
              label={t('general.timezone')}
              description={t('general.timezoneHint')}
              data={timeZones(settings.timezone)}
              searchable
              allowDeselect={false}
              nothingFoundMessage={t('general.noTimezone')}
              {...form.getInputProps('timezone')}
            />
            <TextInput
              label={t('general.currency')}
              description={t('general.currencyHint')}
              maxLength={3}
              {...form.getInputProps('currency')}
            />
            <Select
              label={t('general.dateFormat')}
              data={settings.choices.dateFormats.map((f) => ({
                value: f,
                label: f === 'locale' ? t('general.asReaderWrites', { sample: sample(SAMPLE_DAY, f) }) : `${f} (${sample(SAMPLE_DAY, f)})`,
              }))}
              allowDeselect={false}
              {...form.getInputProps('dateFormat')}
            />
            <Select
              label={t('general.numberFormat')}
              data={settings.choices.numberFormats.map((f) => ({
                value: f,
                label: f === 'locale' ? t('general.asReaderWrites', { sample: sample(SAMPLE_NUMBER, f) }) : sample(SAMPLE_NUMBER, f),
              }))}
              allowDeselect={false}
              {...form.getInputProps('numberFormat')}
            />
            <Select
              label={tl('defaultLabel')}
              description={tl('defaultDescription')}
              data={settings.choices.languages.map((l) => ({ value: l, label: tl(`names.${l}`, { defaultValue: l }) }))}
              allowDeselect={false}
              {...form.getInputProps('language')}
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button type="submit" loading={save.isPending} disabled={readOnly || !form.isDirty()}>
              {t('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function LogoSection({ settings }: { settings: GeneralSettings }) {
  const { t } = useTranslation('settings');
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
      notifications.show({ color: 'teal', message: t('general.logo.saved') });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label={t('general.logo.title')}>
      <Stack gap="sm">
        <Group gap="xs">
          <IconPhoto size={20} />
          <Title order={2} size="h4">
            {t('general.logo.title')}
          </Title>
        </Group>
        <ErrorAlert message={error} />
        {settings.logoUrl ? (
          <Image src={settings.logoUrl} alt={t('general.logo.alt')} h={64} w="auto" fit="contain" maw={320} />
        ) : (
          <Text c="dimmed" size="sm">
            {t('general.logo.none')}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('general.logo.limits')}
        </Text>
        <Group gap="sm">
          <FileButton onChange={choose} accept="image/png,image/jpeg" disabled={readOnly}>
            {(props) => (
              <Button {...props} variant="default" leftSection={<IconPhoto size={16} />} loading={upload.isPending} disabled={readOnly}>
                {settings.logoUrl ? t('general.logo.replace') : t('general.logo.add')}
              </Button>
            )}
          </FileButton>
          {settings.logoUrl && (
            <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setConfirm(true)} disabled={readOnly}>
              {t('general.logo.remove')}
            </Button>
          )}
        </Group>
      </Stack>
      <ConfirmModal
        opened={confirm}
        title={t('general.logo.removeConfirm.title')}
        confirmLabel={t('general.logo.removeConfirm.confirm')}
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
        <Text size="sm">{t('general.logo.removeConfirm.body')}</Text>
      </ConfirmModal>
    </Paper>
  );
}
