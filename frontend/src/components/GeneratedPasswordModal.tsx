import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useStatus } from '../api/hooks';

export const APP_ON_THIS_COMPUTER = 'Open the Gatehouse app on this computer';

/**
 * Where a person signs in: this address in serve mode (with the path Gatehouse may sit
 * under behind a proxy; the app routes by hash); in the desktop window there is no address
 * to give (the API answers only the window), so they open the app.
 */
export function useSignInPlace(): string {
  const status = useStatus();
  if (status.data?.window) return APP_ON_THIS_COMPUTER;
  return window.location.origin + window.location.pathname.replace(/\/+$/, '');
}

/** Everything someone needs to sign in the first time, as one text to hand over. */
export function signInText({ name, email, password, place }: { name: string; email: string; password: string; place: string }): string {
  return [
    `Gatehouse sign-in for ${name}`,
    `Where: ${place}`,
    `Email: ${email}`,
    `Password: ${password}`,
    'You will choose your own password when you first sign in.',
  ].join('\n');
}

/**
 * A password shown exactly once, with what goes with it: where to sign in and the email to
 * sign in with, each copyable, and the whole as one text ("Copy all").
 */
export function SignInDetails({ name, email, password }: { name: string; email: string; password: string }) {
  const place = useSignInPlace();
  const row = (label: string, value: string, mono = false) => (
    <Table.Tr>
      <Table.Th w={90} style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Th>
      <Table.Td>{mono ? <Code style={{ fontSize: 15 }}>{value}</Code> : value}</Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap="sm">
      <Text>
        Give <b>{name}</b> these sign-in details in a safe way:
      </Text>
      <Table withTableBorder verticalSpacing="xs" aria-label="Sign-in details" data-testid="sign-in-details">
        <Table.Tbody>
          {row('Where', place)}
          {row('Email', email)}
          <Table.Tr>
            <Table.Th w={90}>Password</Table.Th>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Code style={{ fontSize: 16 }} data-testid="generated-password">
                  {password}
                </Code>
                <CopyButton value={password} timeout={2000}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
                      <ActionIcon
                        variant="light"
                        color={copied ? 'teal' : undefined}
                        onClick={copy}
                        aria-label={copied ? 'Copied' : 'Copy password'}
                      >
                        {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Group>
        <CopyButton value={signInText({ name, email, password, place })} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              variant="light"
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy all'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Alert color="yellow" icon={<IconAlertTriangle size={18} />} variant="light" role="note">
        The password will not be shown again. {name} must choose their own password when they first sign in.
      </Alert>
    </Stack>
  );
}

/** Shows a password (server-generated or just typed) exactly once, with the rest of the sign-in details. */
export function GeneratedPasswordModal({
  password,
  userName,
  email,
  onClose,
}: {
  password: string | null;
  userName: string;
  email: string;
  onClose: () => void;
}) {
  return (
    <Modal opened={!!password} onClose={onClose} title="Save these sign-in details now" centered closeOnClickOutside={false}>
      <Stack gap="md">
        <SignInDetails name={userName} email={email} password={password ?? ''} />
        <Group justify="flex-end">
          <Button onClick={onClose}>I have saved it</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
