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

type SendOptions = {
  /** Send through this database or transaction: a rollback then leaves no queued message behind. */
  db?: DbOrTx;
  id?: string;
  expireInSeconds?: number;
};

/** What business code sees of the queue: it can send, nothing else. */
export interface QueueSender {
  send<Payload>(queue: QueueDefinition<Payload>, payload: Payload, options?: SendOptions): Promise<string | null>;
}

function createQueueSender(boss: PgBoss): QueueSender {
  return {
    async send(queue, payload, options = {}) {
      const { db, ...rest } = options;
      // Parsed on the way in as well: a bad payload fails the caller, not a worker much later.
      const data = queue.payload.parse(payload) as object;
      return boss.send(queue.name, data, { ...rest, ...(db ? { db: drizzleExecutor(db) } : {}) });
    },
  };
}

/** One message as a handler sees it: the payload already parsed by the queue's schema. */
type QueueMessage<Payload> = { id: string; payload: Payload; retryCount: number; retryLimit: number };

type WorkOptions = { pollingIntervalSeconds: number };

/** What the worker side (bootstrap) uses: declare queues, consume them, schedule them. */
export interface QueueRunner extends QueueSender {
  /** Creates the queue or applies new settings; safe when several processes start at once. */
  declare<Payload>(queue: QueueDefinition<Payload>): Promise<void>;
  /** One consumer loop taking one message at a time. A payload that does not parse is logged and failed. */
  work<Payload>(
    queue: QueueDefinition<Payload>,
    options: WorkOptions,
    handler: (message: QueueMessage<Payload>) => Promise<void>,
  ): Promise<void>;
  /** pg-boss's cron: one message per tick whatever the number of workers. */
  schedule<Payload>(queue: QueueDefinition<Payload>, cron: string, payload: Payload): Promise<void>;
}

class InvalidPayloadError extends Error {}

export function createQueueRunner(boss: PgBoss, env: Env, log: (msg: string, extra: object) => void): QueueRunner {
  return {
    ...createQueueSender(boss),
    async declare(queue) {
      const options = { ...queue.options?.(env), name: queue.name };
      // create_queue is ON CONFLICT DO NOTHING; update applies settings changed since.
      await boss.createQueue(queue.name, options);
      await boss.updateQueue(queue.name, options);
    },
    async work(queue, options, handler) {
      const workOptions = { batchSize: 1, includeMetadata: true as const, ...options };
      await boss.work<unknown>(queue.name, workOptions, async ([job]) => {
        if (!job) return;
        const parsed = queue.payload.safeParse(job.data);
        if (!parsed.success) {
          log("queue message with an invalid payload", { queue: queue.name, id: job.id, issues: parsed.error.issues });
          // Thrown, so pg-boss marks the message failed; the process goes on.
          throw new InvalidPayloadError(`invalid payload on ${queue.name}`);
        }
        await handler({ id: job.id, payload: parsed.data, retryCount: job.retryCount, retryLimit: job.retryLimit });
      });
    },
    async schedule(queue, cron, payload) {
      await boss.schedule(queue.name, cron, queue.payload.parse(payload) as object);
    },
  };
}
