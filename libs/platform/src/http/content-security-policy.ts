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

/** The web portal (Vite build): only same-origin scripts, styles and requests; nothing inline. */
export const WEB_CSP = policy([
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
]);

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
