import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';

/**
 * Why a change failed when the system keychain is the reason (503 keychain_unavailable),
 * in the server's words, with what happened and what to do next (`then`).
 */
export function KeychainAlert({
  message,
  then = 'Nothing was saved. Once the keychain is unlocked, press Save again.',
}: {
  message: string;
  then?: string;
}) {
  return (
    <Alert role="alert" color="red" variant="light" icon={<IconLock size={18} />} title="The system keychain is unavailable">
      <Text size="sm">{message}</Text>
      <Text size="sm" mt="xs">
        {then}
      </Text>
    </Alert>
  );
}

/** The server's warning that secrets are kept outside the keychain (--insecure-file-secrets). */
export function SecretsWarningAlert({ warning }: { warning?: string }) {
  if (!warning) return null;
  return (
    <Alert color="orange" variant="light" role="note" icon={<IconAlertTriangle size={18} />} title="Secrets are not in the keychain">
      {warning}
    </Alert>
  );
}
