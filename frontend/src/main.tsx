import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router-dom';
import './i18n';
import { App } from './App';
import { Loading } from './components/Loading';
import { Providers, makeQueryClient } from './Providers';
import { hashAddressOfMailLink } from './lib/mailLinks';

// A mail's link (<appUrl>/set-password?token=…) opens the same page under hash routing.
const mailLink = hashAddressOfMailLink(window.location);
if (mailLink) window.history.replaceState(null, '', mailLink);

const client = makeQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers client={client}>
      {/* Hash routing: the app is served from wails:// and from a plain HTTP server alike. */}
      <HashRouter>
        {/* Should a first screen ask for texts not in the first load, it waits here. */}
        <Suspense fallback={<Loading full />}>
          <App />
        </Suspense>
      </HashRouter>
    </Providers>
  </StrictMode>,
);
