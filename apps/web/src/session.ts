import { useSyncExternalStore } from 'react';
import { api } from './api/api-client';
import type { SessionUser } from './api/session-store';

export function useSessionUser(): SessionUser | null {
  return useSyncExternalStore(api.session.subscribe, api.session.snapshot);
}

export function isOperator(user: SessionUser | null): boolean {
  return user?.roles.includes('operator') ?? false;
}
