import { Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Loading({ label, full = false }: { label?: string; full?: boolean }) {
  const { t } = useTranslation('shell');
  return (
    <Center mih={full ? '100vh' : 120} aria-busy="true" aria-label={label ?? t('loading')}>
      <Loader />
    </Center>
  );
}
