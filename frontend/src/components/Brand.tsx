import { Group, Image, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { organisation } from '../lib/org';

/** The organisation's logo and name (Settings → General), or "Gatehouse" before it has a name. */
export function Brand({ size }: { size: 'sm' | 'lg' }) {
  const { t } = useTranslation('shell');
  const org = organisation();
  const h = size === 'lg' ? 32 : 28;
  return (
    <Group gap="xs" wrap="nowrap" data-testid="brand">
      {org.logoUrl && <Image src={org.logoUrl} alt={org.name ? t('brand.logoOf', { name: org.name }) : t('brand.logo')} h={h} w="auto" fit="contain" />}
      <Text fw={700} size={size} c={size === 'sm' ? 'dimmed' : undefined} tt={size === 'sm' ? 'uppercase' : undefined} truncate>
        {org.name || 'Gatehouse'}
      </Text>
    </Group>
  );
}
