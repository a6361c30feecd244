import { Alert, Button, Group, Text } from '@mantine/core';
import { IconEye } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { useExitViewAs } from '../api/work';
import { useViewAs } from '../lib/readOnly';

/** Shown on every page while viewing the app as someone else. */
export function ViewAsBanner() {
  const target = useViewAs();
  const exit = useExitViewAs();
  const navigate = useNavigate();
  if (!target) return null;
  return (
    <Alert color="orange" variant="filled" icon={<IconEye size={18} />} mb="md" role="status" data-testid="view-as-banner">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" fw={600}>
          Viewing as {target.name || 'another user'} — read-only
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
          Exit
        </Button>
      </Group>
    </Alert>
  );
}
