import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { ApiError, getToken, onRefused } from './api/client';
import { keys } from './api/hooks';
import { theme } from './theme';

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; a network blip or 5xx might.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
        // Off for everything but /api/me (see useMe): lists refetch after changes instead.
        refetchOnWindowFocus: false,
      },
    },
  });
}

/**
 * A 401 or 403 means what this person may do has changed: /api/me (the menu and the
 * routes) is asked again at once, not after a reload. Without a session there is no one
 * to ask about: a 401 that ended it already brings back the sign-in screen.
 */
function useMeFollowsRefusals(client: QueryClient) {
  useEffect(
    () =>
      onRefused(() => {
        if (getToken()) void client.invalidateQueries({ queryKey: keys.me });
      }),
    [client],
  );
}

export function Providers({ client, children, test = false }: { client: QueryClient; children: ReactNode; test?: boolean }) {
  useMeFollowsRefusals(client);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" env={test ? 'test' : 'default'}>
      <Notifications position="top-right" />
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
