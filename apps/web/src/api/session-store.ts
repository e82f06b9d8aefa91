/** What the portal knows about the signed-in person, read from the access token's claims. */
export interface SessionUser {
  userId: string;
  username: string;
  roles: string[];
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

// The refresh token survives a reload of this tab only (sessionStorage), never localStorage; the
// access token lives in memory alone.
const REFRESH_KEY = 'portal.refresh';

function decodeClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(
    part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '='),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

/** Holds the tokens and tells subscribers when the signed-in user changes. */
export class SessionStore {
  private accessToken: string | null = null;
  private user: SessionUser | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null) {}

  get token(): string | null {
    return this.accessToken;
  }

  get refreshToken(): string | null {
    return this.storage?.getItem(REFRESH_KEY) ?? null;
  }

  get current(): SessionUser | null {
    return this.user;
  }

  set(pair: TokenPair): void {
    this.accessToken = pair.accessToken;
    const claims = decodeClaims(pair.accessToken);
    this.user = {
      userId: typeof claims.sub === 'string' ? claims.sub : '',
      username: typeof claims.username === 'string' ? claims.username : '',
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    };
    this.storage?.setItem(REFRESH_KEY, pair.refreshToken);
    this.emit();
  }

  clear(): void {
    const had = this.accessToken !== null || this.refreshToken !== null;
    this.accessToken = null;
    this.user = null;
    this.storage?.removeItem(REFRESH_KEY);
    if (had) this.emit();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): SessionUser | null => this.user;

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
