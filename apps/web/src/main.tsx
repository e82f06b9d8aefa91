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
