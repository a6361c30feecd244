import { Alert, Button, Group, Text } from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useExitViewAs } from '../api/work';
import { useViewAs } from '../lib/readOnly';

/** Shown on every page while viewing the app as someone else. */
export function ViewAsBanner() {
  const { t } = useTranslation('shell');
  const target = useViewAs();
  const exit = useExitViewAs();
  const navigate = useNavigate();
  if (!target) return null;
  return (
    <Alert color="orange" variant="filled" icon={<IconEye size={18} />} mb="md" role="status" data-testid="view-as-banner">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" fw={600}>
          {target.name ? t('viewAs.banner', { name: target.name }) : t('viewAs.bannerNoName')}
        </Text>
        <Button
          size="compact-sm"
          variant="white"
          color="orange"
          onClick={() => {
            navigate('/users');
            exit();
          }}
        >
          {t('viewAs.exit')}
        </Button>
      </Group>
    </Alert>
  );
}
