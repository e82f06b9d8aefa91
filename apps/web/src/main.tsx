import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { api } from './api/api-client';
import { App } from './app';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

// A reload keeps the session through the HttpOnly refresh cookie; nothing renders signed-out first.
void api
  .refresh()
  .catch(() => false)
  .then(() =>
    root.render(
      <StrictMode>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </StrictMode>,
    ),
  );
