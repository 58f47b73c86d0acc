import "server-only";
import { runJobDeadQueue, runJobQueue } from "@/features/jobs/server/queues";

/**
 * Every queue of the app, declared (created or updated) at each start by web and worker processes
 * alike, since both send. A dead-letter queue comes before the queue that names it.
 */
export const declaredQueues = [runJobDeadQueue, runJobQueue] as const;
