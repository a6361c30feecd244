import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** A visible error message (role="alert" so screen readers and tests find it). */
export function ErrorAlert({ message, title, onClose }: { message: string | null | undefined; title?: string; onClose?: () => void }) {
  const { t } = useTranslation('shell');
  if (!message) return null;
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      title={title}
      icon={<IconAlertCircle size={18} />}
      withCloseButton={!!onClose}
      onClose={onClose}
      closeButtonLabel={t('dismiss')}
    >
      {message}
    </Alert>
  );
}
