import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router-dom';
import { App } from './App';
import { Providers, makeQueryClient } from './Providers';

const client = makeQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers client={client}>
      {/* Hash routing: the app is served from wails:// and from a plain HTTP server alike. */}
      <HashRouter>
        <App />
      </HashRouter>
    </Providers>
  </StrictMode>,
);
