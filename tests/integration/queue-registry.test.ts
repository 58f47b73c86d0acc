import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJobQueue } from "@/features/jobs/server/queues";
import { startTestServer, type TestServer } from "../support/server";

// The typed queues parse payloads on both sides: a bad one never reaches a handler or stops a worker.
describe("typed queue registry", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_RETRY_LIMIT: "0" } });
  });
  afterAll(() => server?.close());

  const stateOf = async (id: string) => {
    const result = await server.rt.db.execute(sql`select state from pgboss.job where id = ${id}`);
    const rows = (result as { rows?: { state: string }[] }).rows ?? [];
    return rows[0]?.state;
  };

  it("refuses to send a payload its schema rejects, and sends nothing", async () => {
    const id = randomUUID();
    await expect(server.rt.services.queue.send(runJobQueue, { jobId: "not-a-job-id" }, { id })).rejects.toThrow();
    expect(await stateOf(id)).toBeUndefined();
  });

  it("fails a message with an invalid payload without calling the handler; the worker keeps working", async () => {
    // Sent around the registry, as an old or foreign process might.
    const id = await server.rt.boss.send(runJobQueue.name, { jobId: 42 }, { retryLimit: 0 });
    expect(id).toBeTruthy();
    const deadline = Date.now() + 30_000;
    let state = await stateOf(id!);
    while (state !== "failed" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = await stateOf(id!);
    }
    expect(state).toBe("failed");
    const health = await fetch(`${server.baseUrl}/api/health`);
    expect(health.status).toBe(200);
  });
});
