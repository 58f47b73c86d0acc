import "server-only";
import { EventEmitter } from "node:events";

/**
 * In-process "this key changed" notifications (a job id, an asset id, ...), so a listener in the
 * same process answers at once. Listeners must not rely on it alone: work done in another process
 * notifies nobody here, so readers also poll the database.
 */
export interface KeyedEvents {
  notify(key: string): void;
  /** Returns the function that unsubscribes. */
  subscribe(key: string, listener: () => void): () => void;
}

export function createKeyedEvents(): KeyedEvents {
  const emitter = new EventEmitter().setMaxListeners(0);
  return {
    notify: (key) => void emitter.emit(key),
    subscribe(key, listener) {
      emitter.on(key, listener);
      return () => void emitter.off(key, listener);
    },
  };
}
