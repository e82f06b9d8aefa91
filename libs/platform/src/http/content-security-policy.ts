/**
 * Content-Security-Policy of every response, by what it is. One place, so a new HTML page picks a policy
 * here instead of inventing one. `frame-ancestors 'none'` everywhere: nothing of the portal is framed.
 */
const policy = (directives: string[]): string => directives.join('; ');

/** JSON answers and anything without its own policy: a browser that renders one may load nothing. */
export const API_CSP = policy([
  "default-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
]);

/** Where Stripe.js and its card element come from (https://docs.stripe.com/security/guide#content-security-policy). */
const STRIPE_JS = 'https://js.stripe.com';
const STRIPE_API = 'https://api.stripe.com';

/**
 * The web portal (Vite build): only same-origin scripts, styles and requests; nothing inline. With
 * `stripe` (a publishable key is configured) Stripe.js may load, frame its card element and call its
 * API, so the card number goes from the browser to Stripe and never through us; otherwise unchanged.
 */
export function webCsp(options: { stripe?: boolean } = {}): string {
  const stripe = options.stripe === true;
  return policy([
    "default-src 'self'",
    stripe ? `script-src 'self' ${STRIPE_JS}` : "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    stripe ? `connect-src 'self' ${STRIPE_API}` : "connect-src 'self'",
    "font-src 'self'",
    // The installable app (issue 20): its service worker and web app manifest, same origin only.
    "worker-src 'self'",
    "manifest-src 'self'",
    ...(stripe ? [`frame-src ${STRIPE_JS}`] : []),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]);
}

/** The web portal's policy without Stripe.js (local mode, tests). */
export const WEB_CSP = webCsp();

/**
 * Swagger UI (swagger-ui-dist, its own files and our initializer script, no inline script). Its React
 * components set style attributes and it draws icons as data: SVGs, hence `'unsafe-inline'` for styles
 * only; "Try it out" calls the API on the same origin.
 */
export const SWAGGER_UI_CSP = policy([
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
]);

/**
 * Bull Board (the operators' queue dashboard): its page has inline style attributes and a `<style>` block
 * and links IBM Plex from Google Fonts; its scripts are its own files (the inline `__UI_CONFIG__` is JSON,
 * not executed). `<base href>` points at its own path.
 */
export const QUEUE_BOARD_CSP = policy([
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' https://fonts.gstatic.com",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
]);
