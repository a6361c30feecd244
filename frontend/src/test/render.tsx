import { render } from '@testing-library/react';
import { Fragment, StrictMode, type ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { Providers, makeQueryClient } from '../Providers';

/**
 * Renders UI inside the app's providers, with retries off so failures show at once.
 * With `route` (and `path`, a route pattern), the UI is rendered at that URL, so pages
 * that read route parameters work. With `strict`, in StrictMode as main.tsx renders the app
 * (effects run twice on mounting; only a StrictMode at the root does that).
 */
export function renderWithProviders(
  ui: ReactNode,
  { route, path, strict = false }: { route?: string; path?: string; strict?: boolean } = {},
) {
  const client = makeQueryClient();
  // Keeps the app's other defaults (refetchOnWindowFocus off but for /api/me…).
  const defaults = client.getDefaultOptions();
  client.setDefaultOptions({ queries: { ...defaults.queries, retry: false }, mutations: { ...defaults.mutations, retry: false } });
  const Mode = strict ? StrictMode : Fragment;
  return {
    client,
    ...render(
      <Mode>
        <Providers client={client} test>
          <MemoryRouter initialEntries={route ? [route] : undefined}>
            {path ? (
              <Routes>
                <Route path={path} element={ui} />
              </Routes>
            ) : (
              ui
            )}
          </MemoryRouter>
        </Providers>
      </Mode>,
    ),
  };
}

type Answer = { status?: number; body?: unknown; headers?: Record<string, string>; text?: string };

/** A fetch stand-in that records requests and answers from a list of handlers. */
export function mockFetch(handler: (req: Request) => Answer | Promise<Answer>) {
  const calls: Request[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    calls.push(req.clone());
    const a = await handler(req);
    const status = a.status ?? 200;
    const body = a.text !== undefined ? a.text : a.body === undefined ? null : JSON.stringify(a.body);
    return new Response(status === 204 ? null : body, {
      status,
      headers: { ...(a.text === undefined && body !== null ? { 'Content-Type': 'application/json' } : {}), ...a.headers },
    });
  });
  vi.stubGlobal('fetch', fn);
  return { fn, calls };
}

/** The error text Mantine links to an input through aria-describedby ('' when none). */
export function errorOf(input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids
    .map((id) => document.getElementById(id))
    .filter((el): el is HTMLElement => !!el && el.id.endsWith('-error'))
    .map((el) => el.textContent ?? '')
    .join(' ');
}
