import "server-only";
import type { Ctx } from "@/server/context";
import { getJob } from "./job-view";

const terminal = new Set(["succeeded", "failed", "canceled"]);

/**
 * For `POST /jobs?wait=N`: waits up to N seconds for the job to end, so quick (sync) generators can
 * answer with the result in one round trip. Wakes on in-process events, polls for other workers.
 */
export async function waitForJobEnd({ ctx, input }: { ctx: Ctx; input: { id: string; seconds: number } }) {
  const deadline = Date.now() + input.seconds * 1000;
  let wake: (() => void) | undefined;
  const unsubscribe = ctx.services.events.subscribe(input.id, () => wake?.());
  try {
    for (;;) {
      const job = await getJob({ ctx, input: { id: input.id } });
      const left = deadline - Date.now();
      if (terminal.has(job.status) || left <= 0) return job;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(500, left));
      });
    }
  } finally {
    unsubscribe();
  }
}
