import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountIdOf, moneyState } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";
import { failingTool, registerTestGenerators } from "../support/test-generators";

describe("running jobs: capture on success, release on final failure, each exactly once", () => {
  let server: TestServer;
  let user: TestUser;
  let image: string;
  let unregisterTestGenerators = () => {};

  beforeAll(async () => {
    unregisterTestGenerators = registerTestGenerators();
    server = await startTestServer({ env: { JOB_RETRY_LIMIT: "2", JOB_RETRY_DELAY_SECONDS: "1" } });
    user = await signUpAndIn(server.baseUrl);
    const upload = await user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/chelsea.png"), "cat.png"),
    );
    image = upload.body.asset.id;
  });
  afterAll(async () => {
    unregisterTestGenerators();
    await server?.close();
  });

  it("a tool that always fails is retried, then the job fails and the hold is released once", async () => {
    const accountId = await accountIdOf(user);
    const before = await moneyState(server.rt.db, accountId);
    const submitted = await user.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "always-fails", inputs: { image } }),
    );
    expect(submitted.status).toBe(202);
    const job = await waitForJob(user, submitted.body.job.id, 60_000);

    expect(job.status).toBe("failed");
    expect(job.attempts).toBe(3);
    expect(failingTool.calls).toBe(3);
    expect(job.error?.code).toBe("job_failed");
    expect(job.error?.message).toContain("this tool always fails");

    const after = await moneyState(server.rt.db, accountId);
    const mine = (kind: string) => after.entries.filter((e) => e.kind === kind && e.referenceId === job.id);
    expect(mine("hold")).toHaveLength(1);
    expect(mine("release")).toHaveLength(1);
    expect(mine("capture")).toHaveLength(0);
    expect(after.holds.find((h) => h.jobId === job.id)?.status).toBe("released");
    expect(after).toMatchObject({ balance: before.balance, held: 0, entriesSum: before.balance });
  });

  it("streams progress over Server-Sent Events until the job ends", async () => {
    const submitted = await user.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs: { image, width: 120, format: "png" } }),
    );
    const response = await user.request(`/api/v1/jobs/${submitted.body.job.id}/events`);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await response.text());
    const statuses = events.map((e) => e.status);
    expect(statuses.at(-1)).toBe("succeeded");
    expect(events.at(-1)?.outputs[0]).toMatchObject({ width: 120 });
    // Each event is a change: no repeats.
    expect(new Set(events.map((e) => `${e.status}:${e.progress}`)).size).toBe(events.length);
  });

  it("?wait=N answers 200 with the finished job in one round trip", async () => {
    const answer = await user.json<{ job: JobBody }>(
      "/api/v1/jobs?wait=30",
      jsonBody({ generator: "resize", inputs: { image, format: "jpeg", quality: 70 } }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.job.status).toBe("succeeded");
    expect(answer.body.job.outputs[0]).toMatchObject({ width: 451, height: 300 });
  });

  it("a resolved hold cannot be resolved again: a second capture or a late release changes nothing", async () => {
    const { resolveHold } = await import("@/features/credits/server/holds");
    const accountId = await accountIdOf(user);
    const submitted = await user.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs: { image, width: 30 } }),
    );
    const job = await waitForJob(user, submitted.body.job.id);
    expect(job.status).toBe("succeeded");
    const before = await moneyState(server.rt.db, accountId);
    const again = await server.rt.db.transaction((tx) => resolveHold(tx, { jobId: job.id, resolution: "captured" }));
    const release = await server.rt.db.transaction((tx) => resolveHold(tx, { jobId: job.id, resolution: "released" }));
    expect([again, release]).toEqual([false, false]);
    const after = await moneyState(server.rt.db, accountId);
    expect(after.entries).toHaveLength(before.entries.length);
    expect(after.balance).toBe(before.balance);
  });
});

function parseSse(text: string): JobBody[] {
  return text
    .split("\n\n")
    .filter((block) => block.includes("event: job"))
    .map(
      (block) =>
        JSON.parse(
          block
            .split("\n")
            .find((l) => l.startsWith("data: "))!
            .slice(6),
        ) as JobBody,
    );
}
