import { currentLanguage } from '../i18n/i18n';
import { forgetPersonalData } from '../offline/last-known';
import { ApiError } from './api-error';
import { SessionStore, type AccessTokenAnswer } from './session-store';

export interface RequestOptions {
  body?: unknown;
  /** Default true: send the access token and refresh it once on a 401. */
  auth?: boolean;
  headers?: Record<string, string>;
  /** A body that is not JSON (a CSV upload), sent as is with its media type. */
  raw?: { type: string; data: Blob | string };
}

/** Asks login, refresh and logout to keep the refresh token in an HttpOnly cookie (see the README). */
const REFRESH_COOKIE_HEADER = { 'X-Refresh-Cookie': '1' };
/** The 401 reasons (gateway and services alike) that a fresh access token cures. */
const TOKEN_REFUSALS = new Set(['Token expired', 'Invalid token']);
/** The Web Locks name that serialises refreshes across this browser's tabs. */
const REFRESH_LOCK = 'portal-refresh';

type LockManagerLike = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };

/**
 * Calls the public API (`/api/v1`) with the in-memory access token, refreshing it when it expires.
 * The refresh token lives in an HttpOnly cookie only the `/api/v1/auth` routes receive.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  /**
   * `onSessionBoundary`: called when a session ends (logout, a refused refresh) or a new one starts (login), to
   * delete what was kept of the previous person's data for offline use (issue 20).
   */
  constructor(
    readonly session: SessionStore,
    private readonly base = '/api/v1',
    private readonly locks: LockManagerLike | null = null,
    private readonly onSessionBoundary: () => Promise<void> = () => Promise.resolve(),
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown, auth = true): Promise<T> {
    return this.request<T>('POST', path, { body, auth });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    // 202 and 204 answers may have no body at all.
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Sends a file as the body (e.g. `text/csv`) and reads the JSON answer. */
  upload<T>(path: string, data: Blob | string, type: string): Promise<T> {
    return this.request<T>('POST', path, { raw: { type, data } });
  }

  /** A binary answer (the label PDF). */
  async blob(path: string): Promise<Blob> {
    const res = await this.send('GET', path, {});
    return res.blob();
  }

  async login(username: string, password: string, otp?: string): Promise<void> {
    const res = await fetch(`${this.base}/auth/login`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Accept-Language': currentLanguage(),
        ...REFRESH_COOKIE_HEADER,
      },
      body: JSON.stringify({ username, password, ...(otp ? { otp } : {}) }),
    });
    if (!res.ok) throw await ApiError.from(res);
    await this.forgetKeptData();
    this.session.set((await res.json()) as AccessTokenAnswer);
  }

  /** Acts for an organisation (or the personal account, null): the session keeps it across refreshes. */
  async switchOrg(orgId: string | null): Promise<void> {
    this.session.set(await this.request<AccessTokenAnswer>('POST', '/auth/switch', { body: { orgId } }));
  }

  async logout(): Promise<void> {
    try {
      // Revokes the session of the refresh cookie and clears it.
      if (this.session.token) await this.request('POST', '/auth/logout', { body: {}, headers: REFRESH_COOKIE_HEADER });
    } finally {
      await this.forgetSession();
    }
  }

  /** Forgets this tab's session without asking the server, for when the server has already ended it (a password change). */
  async forgetSession(): Promise<void> {
    this.session.clear();
    await this.forgetKeptData();
  }

  private async forgetKeptData(): Promise<void> {
    try {
      await this.onSessionBoundary();
    } catch {
      // Cache Storage unavailable or refused: nothing was kept there either.
    }
  }

  /**
   * Gets a new access token with the refresh cookie (also how a reload restores the session); false
   * when there is no live session. One refresh at a time in this tab, and across tabs through Web Locks:
   * the cookie rotates on every use, and two tabs presenting the same value would look like theft.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= (
      this.locks ? this.locks.request(REFRESH_LOCK, () => this.doRefresh()) : this.doRefresh()
    ).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const res = await fetch(`${this.base}/auth/refresh`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Accept-Language': currentLanguage(),
        ...REFRESH_COOKIE_HEADER,
      },
      body: '{}',
    });
    if (res.ok) {
      this.session.set((await res.json()) as AccessTokenAnswer);
      return true;
    }
    // Only a refusal of the refresh cookie ends the session; a 429 or an outage keeps it for a later try.
    if (res.status === 400 || res.status === 401) {
      await this.forgetSession();
      return false;
    }
    throw await ApiError.from(res);
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const auth = options.auth ?? true;
    const attempt = () => {
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'Accept-Language': currentLanguage(),
        ...options.headers,
      };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.raw) headers['Content-Type'] = options.raw.type;
      if (auth && this.session.token) headers.Authorization = `Bearer ${this.session.token}`;
      return fetch(`${this.base}${path}`, {
        method,
        headers,
        body: options.raw ? options.raw.data : options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    };
    let res = await attempt();
    if (auth && this.session.token && (await this.tokenRefused(res)) && (await this.refresh())) res = await attempt();
    if (!res.ok) throw await ApiError.from(res);
    return res;
  }

  /** Whether a 401 is about the access token itself (expired or invalid) rather than, say, a wrong current password. */
  private async tokenRefused(res: Response): Promise<boolean> {
    if (res.status !== 401) return false;
    if (this.session.expired) return true;
    try {
      const body = (await res.clone().json()) as { message?: unknown };
      return typeof body.message === 'string' && TOKEN_REFUSALS.has(body.message);
    } catch {
      return false;
    }
  }
}

const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? (navigator.locks as LockManagerLike) : null;
export const api = new ApiClient(new SessionStore(), '/api/v1', locks, forgetPersonalData);
