/** Edge-safe check used by instrumentation; kept apart from env.ts, which imports node:fs. */
export function isNodeRuntime(): boolean {
  return process.env.NEXT_RUNTIME === "nodejs";
}
