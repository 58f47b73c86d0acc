import "server-only";
import type PgBoss from "pg-boss";
import type { z } from "zod";
import { drizzleExecutor } from "../db/raw";
import type { DbOrTx } from "../db/types";
import type { Env } from "../env";

/**
 * One pg-boss queue: its name, the Zod schema of its payload and its pg-boss options. Features
 * declare their queues with `defineQueue`; sending and handling are then checked against the schema.
 */
export type QueueDefinition<Payload> = {
  name: string;
  payload: z.ZodType<Payload>;
  /** Retry, expiry and dead-letter settings; a function because some come from the environment. */
  options?: (env: Env) => Omit<PgBoss.Queue, "name">;
};

export function defineQueue<Payload>(definition: QueueDefinition<Payload>): QueueDefinition<Payload> {
  return definition;
}

export type SendOptions = {
  /** Send through this database or transaction: a rollback then leaves no queued message behind. */
  db?: DbOrTx;
  id?: string;
  expireInSeconds?: number;
};

/** What business code sees of the queue: it can send, nothing else. */
export interface QueueSender {
  send<Payload>(queue: QueueDefinition<Payload>, payload: Payload, options?: SendOptions): Promise<string | null>;
}

export function createQueueSender(boss: PgBoss): QueueSender {
  return {
    async send(queue, payload, options = {}) {
      const { db, ...rest } = options;
      // Parsed on the way in as well: a bad payload fails the caller, not a worker much later.
      const data = queue.payload.parse(payload) as object;
      return boss.send(queue.name, data, { ...rest, ...(db ? { db: drizzleExecutor(db) } : {}) });
    },
  };
}
