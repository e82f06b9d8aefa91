import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestStore {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestStore>();

/** The current request's id, carried through async calls (AsyncLocalStorage). */
export const RequestContext = {
  run<T>(requestId: string, fn: () => T): T {
    return storage.run({ requestId }, fn);
  },
  /** The current request id, to put in event envelopes; undefined outside a request. */
  correlationId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
