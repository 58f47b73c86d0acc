import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postLedgerEntry } from "@/features/credits/server/ledger";
import { runJob } from "@/features/jobs/server/run-job";
import { systemCtx } from "@/server/context";
import { assets, billingSubscriptions, jobs } from "@/server/db/schema";
import { accountIdOf, moneyState } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

type ErrorAnswer = { error?: { code: string; message: string; params?: Record<string, string | number> } };

// No worker: accepted jobs stay queued, so "jobs at once" is exactly the count of accepted ones.
describe("plan limits: what the pricing page promises is what a job gets", () => {
  let server: TestServer;

  beforeAll(async () => {
    // The per-account request limit is not what the flood here tests.
    server = await startTestServer({ runWorker: false, env: { API_RATE_LIMIT_PER_MINUTE: "100000" } });
  });
  afterAll(() => server?.close());

  async function newUser(credits = 0): Promise<{ user: TestUser; accountId: string }> {
    const user = await signUpAndIn(server.baseUrl);
    const accountId = await accountIdOf(user);
    if (credits > 0) {
      await server.rt.db.transaction((tx) =>
        postLedgerEntry(tx, {
          accountId,
          amount: credits,
          kind: "admin_adjustment",
          referenceType: "admin",
          referenceId: "test",
          idempotencyKey: `test-grant:${randomUUID()}`,
        }),
      );
    }
    return { user, accountId };
  }

  async function upload(user: TestUser, width: number, height: number): Promise<string> {
    const png = await sharp({ create: { width, height, channels: 3, background: "#406080" } })
      .png()
      .toBuffer();
    const answer = await user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(png, `${width}x${height}.png`),
    );
    expect(answer.status).toBe(201);
    return answer.body.asset.id;
  }

  const submit = (
    user: TestUser,
    generator: string,
    inputs: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) =>
    user
      .request("/api/v1/jobs", jsonBody({ generator, inputs }, headers))
      .then(async (r) => ({ status: r.status, body: (await r.json()) as ErrorAnswer & { job?: { id: string } } }));

  it("150 concurrent submissions on a Free account (100 jobs at once): exactly 100 accepted, 50 get 403", async () => {
    const { user, accountId } = await newUser(200);
    const image = await upload(user, 64, 64);
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => submit(user, "resize", { image, width: 10 + (i % 50) })),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(100);
    const refused = answers.filter((a) => a.status === 403);
    expect(refused).toHaveLength(50);
    for (const answer of refused) {
      expect(answer.body.error).toMatchObject({
        code: "plan_limit_exceeded",
        params: { limit: "concurrentJobs", max: 100, plan: "Free" },
      });
    }
    const state = await moneyState(server.rt.db, accountId);
    expect(state.jobs.filter((job) => job.status === "queued")).toHaveLength(100);
    expect(state).toMatchObject({ balance: 250 - 100, held: 100, entriesSum: 150 });
    expect(state.holds.filter((h) => h.status === "open")).toHaveLength(100);
  });

  it("an input past the plan's size is worked on fitted to the plan: the report's 5640x3172 upload gives 2048 px, not 55 MB", async () => {
    const { user } = await newUser();
    const image = await upload(user, 5640, 3172);
    const accepted = await submit(user, "grayscale", { image });
    expect(accepted.status).toBe(202);
    const ctx = systemCtx(server.rt.services, "test");
    await runJob({ ctx, input: { jobId: accepted.body.job!.id, attempt: { retryCount: 0, retryLimit: 2 } } });

    const [job] = await server.rt.db.select().from(jobs).where(eq(jobs.id, accepted.body.job!.id));
    expect(job?.status).toBe("succeeded");
    const [output] = await server.rt.db.select().from(assets).where(eq(assets.jobId, job!.id));
    expect(output).toMatchObject({ width: 2048, height: 1152 });
    const meta = await sharp(await server.rt.storage.get(output!.storageKey)).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 1152]);
  });

  it("a job on a large input whose output would still be past the plan is a 403 in English and German, and changes nothing", async () => {
    const { user, accountId } = await newUser();
    const image = await upload(user, 5640, 3172);
    const before = await moneyState(server.rt.db, accountId);

    // Fitted to 2048x1152 first, then twice that: 4096 px.
    const refused = await submit(user, "upscale", { image, scale: 2 });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: "plan_limit_exceeded",
      params: { limit: "maxSide", subject: "output", plan: "Free", max: 2048, requested: 4096 },
    });
    expect(refused.body.error!.message).toContain("2048");
    const german = await submit(user, "upscale", { image, scale: 2 }, { "accept-language": "de" });
    expect(german.status).toBe(403);
    expect(german.body.error!.message).toMatch(/2048 px/);

    const after = await moneyState(server.rt.db, accountId);
    expect(after.jobs).toHaveLength(0);
    expect(after.holds).toHaveLength(0);
    expect(after).toMatchObject({
      balance: before.balance,
      held: 0,
      entriesSum: before.entriesSum,
      queueRows: before.queueRows,
    });
  });

  it("an output that would be past the plan's size is refused at submit; one within it is accepted", async () => {
    const { user, accountId } = await newUser(100);
    const wide = await upload(user, 1500, 1000);
    const tall = await upload(user, 500, 2000);
    const square = await upload(user, 2000, 2000);
    const cases: [string, Record<string, unknown>, number][] = [
      ["upscale", { image: wide, scale: 2 }, 3000],
      ["upscale", { image: wide }, 3000], // the default scale is 2
      ["resize", { image: tall, width: 2000 }, 8000], // the height follows the aspect
      ["resize", { image: wide, width: 2048, height: 2048, fit: "outside" }, 3072],
      ["border", { image: square, width: 100 }, 2200],
      ["rotate", { image: square, angle: 45 }, 2829],
      ["resize", { image: wide, width: 4000 }, 4000],
    ];
    for (const [generator, inputs, requested] of cases) {
      const answer = await submit(user, generator, inputs);
      expect({ generator, inputs, status: answer.status }).toMatchObject({ status: 403 });
      expect(answer.body.error).toMatchObject({
        code: "plan_limit_exceeded",
        params: { limit: "maxSide", subject: "output", max: 2048 },
      });
      expect(Number(answer.body.error!.params!.requested)).toBeGreaterThanOrEqual(requested - 1);
    }
    expect((await moneyState(server.rt.db, accountId)).jobs).toHaveLength(0);

    const accepted: [string, Record<string, unknown>][] = [
      ["upscale", { image: await upload(user, 1000, 872), scale: 2 }],
      ["resize", { image: tall, width: 512 }],
      ["resize", { image: wide, width: 2048, height: 2048 }], // fit inside: 2048x1365
      ["rotate", { image: square, angle: 90 }],
      ["border", { image: wide, width: 24 }],
    ];
    for (const [generator, inputs] of accepted) {
      expect({ generator, inputs, status: (await submit(user, generator, inputs)).status }).toMatchObject({
        status: 202,
      });
    }
  });

  it("the worker refuses to store an output past the plan (downgraded after submit) and gives the credits back", async () => {
    const { user, accountId } = await newUser();
    const subscriptionId = `sub_test_${randomUUID()}`;
    await server.rt.db.insert(billingSubscriptions).values({
      id: subscriptionId,
      accountId,
      planId: "business",
      status: "active",
      currentPeriodEnd: new Date(Date.now() + 86_400_000),
    });
    const image = await upload(user, 1500, 1000);
    const accepted = await submit(user, "upscale", { image, scale: 2 });
    expect(accepted.status).toBe(202);
    const before = await moneyState(server.rt.db, accountId);
    expect(before.held).toBe(2);

    await server.rt.db
      .update(billingSubscriptions)
      .set({ status: "canceled" })
      .where(eq(billingSubscriptions.id, subscriptionId));
    const ctx = systemCtx(server.rt.services, "test");
    await runJob({ ctx, input: { jobId: accepted.body.job!.id, attempt: { retryCount: 0, retryLimit: 2 } } });

    const [job] = await server.rt.db.select().from(jobs).where(eq(jobs.id, accepted.body.job!.id));
    expect(job).toMatchObject({
      status: "failed",
      error: { code: "plan_limit_exceeded", params: { limit: "maxSide", subject: "output" } },
    });
    expect(await server.rt.db.select().from(assets).where(eq(assets.jobId, job!.id))).toHaveLength(0);
    await expect(server.rt.storage.get(`outputs/${job!.id}/0.png`)).rejects.toThrow();
    const after = await moneyState(server.rt.db, accountId);
    expect(after).toMatchObject({ balance: 50, held: 0, entriesSum: 50 });
    expect(after.count("release")).toBe(1);
  });
});
