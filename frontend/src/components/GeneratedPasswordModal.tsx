import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';

/** Shows a server-generated password exactly once, with a copy button. */
export function GeneratedPasswordModal({
  password,
  userName,
  onClose,
}: {
  password: string | null;
  userName: string;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={!!password}
      onClose={onClose}
      title="Save this password now"
      centered
      closeOnClickOutside={false}
    >
      <Stack gap="md">
        <Text>
          The password for <b>{userName}</b> is:
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Code block style={{ flex: 1, fontSize: 16 }} data-testid="generated-password">
            {password}
          </Code>
          <CopyButton value={password ?? ''} timeout={2000}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
                <ActionIcon
                  variant="light"
                  size="lg"
                  color={copied ? 'teal' : undefined}
                  onClick={copy}
                  aria-label={copied ? 'Copied' : 'Copy password'}
                >
                  {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />} variant="light">
          It will not be shown again. Give it to {userName} in a safe way; they must choose their own
          password when they first sign in.
        </Alert>
        <Group justify="flex-end">
          <Button onClick={onClose}>I have saved it</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
