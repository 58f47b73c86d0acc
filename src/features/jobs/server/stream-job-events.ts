import "server-only";
import type { SSEStreamingApi } from "hono/streaming";
import type { Ctx } from "@/server/context";
import { getJob, toJobView } from "./job-view";

const terminal = new Set(["succeeded", "failed", "canceled"]);
const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

/**
 * Sends the job whenever it changes. Wakes on in-process notifications and polls the row too, so
 * changes made by workers in other processes arrive within a second. Ends after a terminal state.
 */
export async function streamJobEvents({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { stream: SSEStreamingApi; jobId: string };
}): Promise<void> {
  const { stream, jobId } = input;
  let wake: (() => void) | undefined;
  const unsubscribe = ctx.services.events.subscribe(jobId, () => wake?.());
  let closed = false;
  stream.onAbort(() => {
    closed = true;
    wake?.();
  });
  let lastSent = "";
  let lastBeat = Date.now();
  try {
    while (!closed) {
      const job = await getJob({ ctx, input: { id: jobId } });
      const fingerprint = `${job.status}:${job.progress}`;
      if (fingerprint !== lastSent) {
        lastSent = fingerprint;
        await stream.writeSSE({
          event: "job",
          id: fingerprint,
          data: JSON.stringify(await toJobView({ ctx, input: { job } })),
        });
      } else if (Date.now() - lastBeat > HEARTBEAT_MS) {
        await stream.write(": keep-alive\n\n");
        lastBeat = Date.now();
      }
      if (terminal.has(job.status)) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, POLL_MS);
      });
    }
  } finally {
    unsubscribe();
  }
}
