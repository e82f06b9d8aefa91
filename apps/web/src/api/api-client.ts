import { ApiError } from './api-error';
import { SessionStore, type TokenPair } from './session-store';

export interface RequestOptions {
  body?: unknown;
  /** Default true: send the access token and refresh it once on a 401. */
  auth?: boolean;
}

/** Calls the public API (`/api/v1`) with the in-memory access token, refreshing it when it expires. */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(
    readonly session: SessionStore,
    private readonly base = '/api/v1',
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

  /** A binary answer (the label PDF). */
  async blob(path: string): Promise<Blob> {
    const res = await this.send('GET', path, {});
    return res.blob();
  }

  async login(username: string, password: string, otp?: string): Promise<void> {
    const pair = await this.request<TokenPair>('POST', '/auth/login', {
      body: { username, password, ...(otp ? { otp } : {}) },
      auth: false,
    });
    this.session.set(pair);
  }

  async logout(): Promise<void> {
    const refreshToken = this.session.refreshToken;
    try {
      if (refreshToken && this.session.token) await this.request('POST', '/auth/logout', { body: { refreshToken } });
    } finally {
      this.session.clear();
    }
  }

  /** Restores a session after a reload from the tab's refresh token; false when there is none or it is spent. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.session.refreshToken;
    if (!refreshToken) return false;
    const res = await fetch(`${this.base}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    if (!res.ok) {
      this.session.clear();
      return false;
    }
    this.session.set((await res.json()) as TokenPair);
    return true;
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const auth = options.auth ?? true;
    const attempt = () => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (auth && this.session.token) headers.Authorization = `Bearer ${this.session.token}`;
      return fetch(`${this.base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    };
    let res = await attempt();
    if (res.status === 401 && auth && this.session.refreshToken && (await this.refresh())) res = await attempt();
    if (!res.ok) throw await ApiError.from(res);
    return res;
  }
}

const storage = typeof sessionStorage === 'undefined' ? null : sessionStorage;
export const api = new ApiClient(new SessionStore(storage));
