import { isNodeRuntime } from "./server/env.next";

/** Runs once when the Next.js server starts: migrate, start the queue and the embedded worker. */
export async function register() {
  if (!isNodeRuntime()) return;
  const { getRuntime } = await import("./server/runtime");
  await getRuntime();
}
