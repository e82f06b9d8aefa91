import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { api } from './api/api-client';
import { App } from './app';
import { setUpI18n } from './i18n/i18n';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

// A reload keeps the session through the HttpOnly refresh cookie; nothing renders signed-out first.
// A browser that never signed in (or signed out) has no cookie to try: it renders at once.
const restored = api.session.maySignIn ? api.refresh().catch(() => false) : Promise.resolve(false);
// The page renders in its language from the first paint (a non-English language is one small chunk away).
void Promise.all([restored, setUpI18n().catch(() => undefined)]).then(() =>
  root.render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  ),
);

// Installable app (issue 20): the service worker (built by vite-plugin-pwa from offline/service-worker.ts) keeps
// the app shell and the watchlist's last answer. Registered after the page has loaded so its precache does not
// compete with the first page's own requests; not in `vite dev`, which has no built worker.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/service-worker.js', { scope: '/' }).catch(() => undefined);
  });
}
