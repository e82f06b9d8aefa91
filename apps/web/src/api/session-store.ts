import type { ApiSchemas } from './types';
/** What the portal knows about the signed-in person, read from the access token's claims. */
export interface SessionUser {
  userId: string;
  username: string;
  roles: string[];
  /** the organisation the session acts for (claims `org`, `org_role`); absent for the personal account */
  org?: { id: string; role: string };
}

/**
 * What login and refresh answer when asked for the refresh cookie (`X-Refresh-Cookie: 1`): the
 * refresh token itself stays in an HttpOnly cookie that no script here can read.
 */
export type AccessTokenAnswer = Pick<ApiSchemas['TokenAnswer'], 'accessToken' | 'expiresIn'>;

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

/**
 * The key of a flag in localStorage saying this browser signed in and has not signed out: the
 * refresh cookie is HttpOnly, so without it a page cannot tell whether restoring a session is
 * worth a request (every visitor's load would send one and get a 400). It holds no token.
 */
const SIGNED_IN_FLAG = 'portal.signedIn';

type FlagStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage, or nothing where it is unavailable (a private window, a test): then every load asks. */
function browserStorage(): FlagStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Holds the access token (in memory only: nothing goes to browser storage) and tells subscribers when the user changes. */
export class SessionStore {
  constructor(private readonly storage: FlagStorage | null = browserStorage()) {}

  /** Whether a refresh cookie may exist (this browser signed in and did not sign out or get refused since). */
  get maySignIn(): boolean {
    if (!this.storage) return true;
    try {
      return this.storage.getItem(SIGNED_IN_FLAG) === '1';
    } catch {
      return true;
    }
  }

  private accessToken: string | null = null;
  private expiresAt = 0;
  private user: SessionUser | null = null;
  private readonly listeners = new Set<() => void>();

  get token(): string | null {
    return this.accessToken;
  }

  /** True when the access token's own `exp` has passed (by this machine's clock). */
  get expired(): boolean {
    return this.accessToken !== null && Date.now() >= this.expiresAt;
  }

  get current(): SessionUser | null {
    return this.user;
  }

  set(answer: AccessTokenAnswer): void {
    this.accessToken = answer.accessToken;
    const claims = decodeClaims(answer.accessToken);
    this.expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + answer.expiresIn * 1000;
    this.user = {
      userId: typeof claims.sub === 'string' ? claims.sub : '',
      username: typeof claims.username === 'string' ? claims.username : '',
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
      ...(typeof claims.org === 'string' && typeof claims.org_role === 'string'
        ? { org: { id: claims.org, role: claims.org_role } }
        : {}),
    };
    this.remember(true);
    this.emit();
  }

  clear(): void {
    const had = this.accessToken !== null;
    this.accessToken = null;
    this.expiresAt = 0;
    this.user = null;
    this.remember(false);
    if (had) this.emit();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): SessionUser | null => this.user;

  private remember(signedIn: boolean): void {
    try {
      if (signedIn) this.storage?.setItem(SIGNED_IN_FLAG, '1');
      else this.storage?.removeItem(SIGNED_IN_FLAG);
    } catch {
      // storage full or refused: every load then asks, as before
    }
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
