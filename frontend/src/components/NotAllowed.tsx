import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function NotAllowed() {
  const { t } = useTranslation('shell');
  return (
    <Stack>
      <Title order={1}>{t('notAllowed.title')}</Title>
      <Text c="dimmed">{t('notAllowed.text')}</Text>
    </Stack>
  );
}
