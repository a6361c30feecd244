import { Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';

/**
 * One tab of Settings: its title and what it is for, then — once `settings` has loaded —
 * what `children` draws of it (keyed by when it loaded, so a form starts from the saved
 * values), or why it could not be loaded (`error`, else the server's message).
 */
export function SettingsTab<T>({
  title,
  intro,
  settings,
  error,
  children,
}: {
  title: string;
  intro: string;
  settings: UseQueryResult<T>;
  error?: (e: unknown) => ReactNode;
  children: (data: T, loadedAt: number) => ReactNode;
}) {
  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          {title}
        </Title>
        <Text c="dimmed">{intro}</Text>
      </div>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        (error?.(settings.error) ?? <ErrorAlert message={errorMessage(settings.error)} />)
      ) : (
        children(settings.data as T, settings.dataUpdatedAt)
      )}
    </Stack>
  );
}
