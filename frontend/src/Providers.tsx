import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Fragment, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ApiError, getToken, onRefused, type Me, type Status } from './api/client';
import { keys } from './api/hooks';
import { languageLoaded, setLanguage } from './i18n';
import { Loading } from './components/Loading';
import { documentTitle, setOrganisation } from './lib/org';
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
    <QueryClientProvider client={client}>
      <Organisation client={client} test={test}>{children}</Organisation>
    </QueryClientProvider>
  );
}

/**
 * The data cached under key, whichever query holds it. Not a query observer: signing in
 * and out removes the cached queries, and an observer made before that would stay on the
 * removed query and never see /api/me again (the language then changed only on reload).
 */
function useCached<T>(client: QueryClient, key: readonly unknown[]): T | undefined {
  const cache = client.getQueryCache();
  return useSyncExternalStore(
    (onChange) => cache.subscribe(onChange),
    () => client.getQueryData<T>(key),
  );
}

/**
 * The organisation's look (Settings → General, from /api/status as the app asked it): its
 * accent colour, the title, and the time zone and formats every date and amount is written
 * in. A change of those redraws what is on screen.
 */
function Organisation({ client, test, children }: { client: QueryClient; test: boolean; children: ReactNode }) {
  // Only what is cached: the app asks for the status and /api/me itself.
  const org = useCached<Status>(client, keys.status)?.organisation;
  setOrganisation(org);
  // The language: one's own (from /api/me, once signed in), else the organisation's.
  const language = useCached<Me>(client, keys.me)?.language ?? org?.language;
  // Portuguese is loaded when first needed: the first screen waits for it (no English
  // flash); a change later keeps the screen, in the old language, until it is there.
  const [, languageArrived] = useState(0);
  const shown = useRef(false);
  const waiting = !!language && !languageLoaded(language) && !shown.current;
  if (language && !waiting) shown.current = true;
  useEffect(() => {
    if (language) void setLanguage(language).then(() => languageArrived((n) => n + 1));
  }, [language]);
  const accent = org?.accent ?? 'indigo';
  const themed = useMemo(() => ({ ...theme, primaryColor: accent }), [accent]);
  useEffect(() => {
    document.title = documentTitle(org);
  }, [org]);
  return (
    <MantineProvider theme={themed} defaultColorScheme="light" env={test ? 'test' : 'default'}>
      <Notifications position="top-right" />
      <Fragment key={`${org?.timezone ?? 'UTC'}|${org?.dateFormat ?? 'locale'}|${org?.numberFormat ?? 'locale'}`}>
        {waiting ? <Loading full /> : children}
      </Fragment>
    </MantineProvider>
  );
}
