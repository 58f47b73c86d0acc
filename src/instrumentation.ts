/** Runs once when the Next.js server starts: migrate, start the queue and the embedded worker. */
export async function register() {
  // Next.js replaces NEXT_RUNTIME at build time; the literal comparison is what lets it drop the
  // Node-only imports from the edge bundle (a helper function would hide it). Not configuration.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getRuntime } = await import("./server/runtime");
  await getRuntime();
}
