import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { Trans, useTranslation } from 'react-i18next';
import { useStatus } from '../api/hooks';
import i18n from '../i18n';

/** What useSignInPlace says in the window, in English (on screen, in the UI's language). */
export const APP_ON_THIS_COMPUTER = 'Open the Gatehouse app on this computer';

/**
 * Where a person signs in: this address in serve mode (with the path Gatehouse may sit
 * under behind a proxy; the app routes by hash); in the desktop window there is no address
 * to give (the API answers only the window), so they open the app.
 */
export function useSignInPlace(): string {
  const status = useStatus();
  const { t } = useTranslation('shell');
  if (status.data?.window) return t('signInDetails.appOnThisComputer');
  return window.location.origin + window.location.pathname.replace(/\/+$/, '');
}

/** Everything someone needs to sign in the first time, as one text to hand over. */
export function signInText({ name, email, password, place }: { name: string; email: string; password: string; place: string }): string {
  const t = (key: string, o?: Record<string, string>) => i18n.t(`shell:signInDetails.text.${key}`, o ?? {});
  return [
    t('heading', { name }),
    t('where', { place }),
    t('email', { email }),
    t('password', { password }),
    t('chooseOwn'),
  ].join('\n');
}

/**
 * A password shown exactly once, with what goes with it: where to sign in and the email to
 * sign in with, each copyable, and the whole as one text ("Copy all").
 */
export function SignInDetails({ name, email, password }: { name: string; email: string; password: string }) {
  const { t } = useTranslation('shell');
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
        <Trans t={t} i18nKey="signInDetails.give" values={{ name }} components={{ b: <b /> }} />
      </Text>
      <Table withTableBorder verticalSpacing="xs" aria-label={t('signInDetails.label')} data-testid="sign-in-details">
        <Table.Tbody>
          {row(t('signInDetails.where'), place)}
          {row(t('signInDetails.email'), email)}
          <Table.Tr>
            <Table.Th w={90}>{t('signInDetails.password')}</Table.Th>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Code style={{ fontSize: 16 }} data-testid="generated-password">
                  {password}
                </Code>
                <CopyButton value={password} timeout={2000}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? t('signInDetails.copied') : t('signInDetails.copy')} withArrow>
                      <ActionIcon
                        variant="light"
                        color={copied ? 'teal' : undefined}
                        onClick={copy}
                        aria-label={copied ? t('signInDetails.copied') : t('signInDetails.copyPassword')}
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
              {copied ? t('signInDetails.copied') : t('signInDetails.copyAll')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Alert color="yellow" icon={<IconAlertTriangle size={18} />} variant="light" role="note">
        {t('signInDetails.notShownAgain', { name })}
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
  const { t } = useTranslation('shell');
  return (
    <Modal opened={!!password} onClose={onClose} title={t('signInDetails.modalTitle')} centered closeOnClickOutside={false}>
      <Stack gap="md">
        <SignInDetails name={userName} email={email} password={password ?? ''} />
        <Group justify="flex-end">
          <Button onClick={onClose}>{t('signInDetails.saved')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
