import { Paper, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconLanguage } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, errorMessage, type Me } from '../../api/client';
import { keys } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LANGUAGES } from '../../i18n';
import { organisation } from '../../lib/org';
import { useReadOnly } from '../../lib/readOnly';

/** My account → Language: one's own language, or the organisation's default. */
export function LanguageSection({ me }: { me: Me }) {
  const { t } = useTranslation('language');
  const qc = useQueryClient();
  const readOnly = useReadOnly();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (language: string) => call(api.PUT('/api/me/language', { body: { language: language as '' | 'en' | 'pt-BR' } })),
    onSuccess: (saved) => qc.setQueryData(keys.me, saved),
  });
  const orgDefault = organisation().language;
  const data = [
    { value: '', label: t('followDefault', { language: t(`names.${orgDefault}`, { defaultValue: orgDefault }) }) },
    ...LANGUAGES.map((l) => ({ value: l, label: t(`names.${l}`) })),
  ];
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label={t('title')}>
      <Stack gap="sm" maw={420}>
        <Title order={2} size="h4">
          <IconLanguage size={18} style={{ verticalAlign: 'middle', marginRight: 6 }} />
          {t('title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('description')}
        </Text>
        <ErrorAlert message={error} />
        <Select
          label={t('label')}
          data={data}
          value={me.languageChoice ?? ''}
          allowDeselect={false}
          disabled={readOnly || save.isPending}
          onChange={async (v) => {
            setError(null);
            try {
              await save.mutateAsync(v ?? '');
              notifications.show({ color: 'teal', message: t('saved') });
            } catch (e) {
              setError(errorMessage(e));
            }
          }}
        />
      </Stack>
    </Paper>
  );
}
