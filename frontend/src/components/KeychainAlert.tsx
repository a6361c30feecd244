import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/**
 * Why a change failed when the system keychain is the reason (503 keychain_unavailable),
 * in the server's words, with what happened and what to do next (`then`).
 */
export function KeychainAlert({ message, then }: { message: string; then?: string }) {
  const { t } = useTranslation('shell');
  return (
    <Alert role="alert" color="red" variant="light" icon={<IconLock size={18} />} title={t('keychain.title')}>
      <Text size="sm">{message}</Text>
      <Text size="sm" mt="xs">
        {then ?? t('keychain.then')}
      </Text>
    </Alert>
  );
}

/** The server's warning that secrets are kept outside the keychain (--insecure-file-secrets). */
export function SecretsWarningAlert({ warning }: { warning?: string }) {
  const { t } = useTranslation('shell');
  if (!warning) return null;
  return (
    <Alert color="orange" variant="light" role="note" icon={<IconAlertTriangle size={18} />} title={t('keychain.secretsTitle')}>
      {warning}
    </Alert>
  );
}
