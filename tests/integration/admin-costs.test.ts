import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditValueMicros } from "@/catalog/pricing";
import type { AdminJobView as AdminJob, CostSummary as Summary } from "@/features/admin/views";
import { jobs, providerCalls } from "@/server/db/schema";
import { accountIdOf } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

// The admin's margin view over real HTTP. One job runs through the real flow (a local resize, its
// call recorded by the worker); the vendor jobs are written straight into the database with known
// figures, so every total below is worked out by hand.

type Call = {
  provider: string;
  outcome: "succeeded" | "failed";
  failure?: string;
  costMicros: number;
  latencyMs: number;
};

describe("admin: jobs and margins", () => {
  let server: TestServer;
  let admin: TestUser;
  let member: TestUser;
  const ids: Record<string, string> = {};
  let resizeLatency = 0;

  async function insertJob(
    name: string,
    accountId: string,
    job: {
      generator: string;
      status: "succeeded" | "failed";
      price: number;
      provider?: string;
      model?: string;
      minutesAgo: number;
    },
    calls: Call[],
  ) {
    const createdAt = new Date(Date.now() - job.minutesAgo * 60_000);
    const [row] = await server.rt.db
      .insert(jobs)
      .values({
        accountId,
        generator: job.generator,
        inputs: {},
        price: job.price,
        status: job.status,
        provider: job.provider ?? null,
        model: job.model ?? null,
        providerCostMicros: job.status === "succeeded" ? calls.reduce((s, c) => s + c.costMicros, 0) : null,
        providerLatencyMs: job.status === "succeeded" ? calls.reduce((s, c) => s + c.latencyMs, 0) : null,
        providerCalls: job.status === "succeeded" ? calls.length : null,
        createdAt,
        finishedAt: createdAt,
      })
      .returning();
    ids[name] = row!.id;
    if (calls.length > 0) {
      await server.rt.db.insert(providerCalls).values(
        calls.map((call, index) => ({
          jobId: row!.id,
          attempt: 1,
          step: 0,
          capability: job.generator === "edit" ? "edit-by-prompt" : "text-to-image",
          provider: call.provider,
          model: call.provider === job.provider ? (job.model ?? null) : null,
          outcome: call.outcome,
          failure: call.failure ?? null,
          latencyMs: call.latencyMs,
          costMicros: call.costMicros,
          createdAt: new Date(createdAt.getTime() + index * 1000),
        })),
      );
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signUpAndIn(server.baseUrl);
    member = await signUpAndIn(server.baseUrl);
    const adminAccount = await accountIdOf(admin);
    const memberAccount = await accountIdOf(member);

    // Through the real flow: upload, resize for 1 credit, the worker records the local call.
    const upload = await member.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/chelsea.png"), "cat.png", "image/png"),
    );
    const submitted = await member.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs: { image: upload.body.asset.id, width: 64 } }),
    );
    expect((await waitForJob(member, submitted.body.job.id)).status).toBe("succeeded");
    ids.resize = submitted.body.job.id;
    const recorded = await server.rt.db.select().from(providerCalls).where(eq(providerCalls.jobId, ids.resize));
    expect(recorded.map((c) => [c.provider, c.outcome, c.costMicros])).toEqual([["local", "succeeded", 0]]);
    resizeLatency = recorded[0]!.latencyMs;

    const t2i = { generator: "text-to-image", status: "succeeded", price: 4 } as const;
    const edit = { generator: "edit", status: "succeeded", price: 6 } as const;
    const ok = "succeeded" as const;
    const failed = "failed" as const;
    // A retry, then success at OpenAI.
    await insertJob("t2iRetry", adminAccount, { ...t2i, provider: "openai", model: "gpt-image-1", minutesAgo: 10 }, [
      { provider: "openai", outcome: failed, failure: "retriable", costMicros: 0, latencyMs: 900 },
      { provider: "openai", outcome: ok, costMicros: 42_000, latencyMs: 2100 },
    ]);
    // OpenAI misconfigured, fallback to Replicate.
    await insertJob(
      "t2iFallback",
      memberAccount,
      { ...t2i, provider: "replicate", model: "flux-schnell", minutesAgo: 20 },
      [
        { provider: "openai", outcome: failed, failure: "misconfigured", costMicros: 0, latencyMs: 100 },
        { provider: "replicate", outcome: ok, costMicros: 3_000, latencyMs: 1500 },
      ],
    );
    // Everything failed: no revenue, no cost.
    await insertJob("t2iFailed", memberAccount, { ...t2i, status: "failed", minutesAgo: 30 }, [
      { provider: "openai", outcome: failed, failure: "retriable", costMicros: 0, latencyMs: 500 },
      { provider: "replicate", outcome: failed, failure: "retriable", costMicros: 0, latencyMs: 700 },
    ]);
    // An expensive edit: a loss.
    await insertJob("editLoss", adminAccount, { ...edit, provider: "openai", model: "gpt-image-1", minutesAgo: 40 }, [
      { provider: "openai", outcome: ok, costMicros: 400_000, latencyMs: 8000 },
    ]);
    await insertJob(
      "editGoogle",
      memberAccount,
      { ...edit, provider: "google", model: "gemini-2.5-flash-image", minutesAgo: 50 },
      [{ provider: "google", outcome: ok, costMicros: 39_000, latencyMs: 4000 }],
    );
    // Forty days ago: outside the 30-day window, inside the 60-day one.
    await insertJob(
      "editOld",
      memberAccount,
      { ...edit, provider: "openai", model: "gpt-image-1", minutesAgo: 40 * 24 * 60 },
      [{ provider: "openai", outcome: ok, costMicros: 1_000_000, latencyMs: 3000 }],
    );
  });
  afterAll(() => server?.close());

  it("sums revenue, provider cost, margin, latency and failures per generator and per provider", async () => {
    const { status, body } = await admin.json<Summary>("/api/v1/admin/costs?days=30");
    expect(status).toBe(200);
    const credit = creditValueMicros;
    const byGenerator = Object.fromEntries(body.byGenerator.map(({ generator, ...t }) => [generator, t]));
    expect(byGenerator["text-to-image"]).toEqual({
      jobs: 3,
      succeeded: 2,
      credits: 8,
      revenueMicros: 8 * credit,
      providerCostMicros: 45_000,
      marginMicros: 8 * credit - 45_000,
      avgLatencyMs: Math.round((3000 + 1600 + 1200) / 3),
      calls: 6,
      failedCalls: 4,
      failureRate: 4 / 6,
    });
    expect(byGenerator.edit).toEqual({
      jobs: 2,
      succeeded: 2,
      credits: 12,
      revenueMicros: 12 * credit,
      providerCostMicros: 439_000,
      marginMicros: 12 * credit - 439_000,
      avgLatencyMs: 6000,
      calls: 2,
      failedCalls: 0,
      failureRate: 0,
    });
    expect(byGenerator.resize).toMatchObject({
      jobs: 1,
      credits: 1,
      revenueMicros: credit,
      providerCostMicros: 0,
      calls: 1,
      avgLatencyMs: resizeLatency,
    });

    const byProvider = Object.fromEntries(body.byProvider.map(({ provider, ...t }) => [provider, t]));
    expect(byProvider.openai).toEqual({
      jobs: 4, // every job that called it, fallbacks included
      succeeded: 2,
      credits: 10, // the jobs it finished
      revenueMicros: 10 * credit,
      providerCostMicros: 442_000,
      marginMicros: 10 * credit - 442_000,
      avgLatencyMs: (900 + 2100 + 100 + 500 + 8000) / 5,
      calls: 5,
      failedCalls: 3,
      failureRate: 3 / 5,
    });
    expect(byProvider.replicate).toMatchObject({
      jobs: 2,
      credits: 4,
      providerCostMicros: 3_000,
      marginMicros: 4 * credit - 3_000,
      avgLatencyMs: 1100,
      calls: 2,
      failedCalls: 1,
      failureRate: 0.5,
    });
    expect(byProvider.google).toMatchObject({
      jobs: 1,
      credits: 6,
      providerCostMicros: 39_000,
      marginMicros: 6 * credit - 39_000,
      avgLatencyMs: 4000,
      failureRate: 0,
    });
    expect(byProvider.local).toMatchObject({ jobs: 1, credits: 1, providerCostMicros: 0, calls: 1 });

    expect(body.totals).toMatchObject({
      jobs: 6,
      succeeded: 5,
      credits: 21,
      revenueMicros: 21 * credit,
      providerCostMicros: 484_000,
      marginMicros: 21 * credit - 484_000,
      calls: 9,
      failedCalls: 4,
    });

    const wider = await admin.json<Summary>("/api/v1/admin/costs?days=60");
    expect(wider.body.totals).toMatchObject({ jobs: 7, credits: 27, providerCostMicros: 1_484_000 });
    expect(wider.body.byGenerator.find((g) => g.generator === "edit")).toMatchObject({
      jobs: 3,
      providerCostMicros: 1_439_000,
    });

    const refused = await admin.json<{ error: { code: string } }>("/api/v1/admin/costs?days=0");
    expect([refused.status, refused.body.error.code]).toEqual([400, "validation_failed"]);
  });

  it("lists every account's jobs newest first, page by page, with what each earned and cost", async () => {
    const seen: AdminJob[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { jobs: AdminJob[]; nextCursor: string | null } } = await admin.json(
        `/api/v1/admin/jobs?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.jobs.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.jobs);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((j) => j.id)).toEqual([
      ids.resize,
      ids.t2iRetry,
      ids.t2iFallback,
      ids.t2iFailed,
      ids.editLoss,
      ids.editGoogle,
      ids.editOld,
    ]);

    const byId = new Map(seen.map((j) => [j.id, j]));
    expect(byId.get(ids.t2iRetry!)).toMatchObject({
      generator: "text-to-image",
      provider: "openai",
      model: "gpt-image-1",
      price: 4,
      revenueMicros: 4 * creditValueMicros,
      providerCostMicros: 42_000,
      marginMicros: 4 * creditValueMicros - 42_000,
      latencyMs: 3000,
      providerCalls: 2,
      failedCalls: 1,
    });
    expect(byId.get(ids.t2iFailed!)).toMatchObject({
      status: "failed",
      price: 4,
      revenueMicros: 0,
      providerCostMicros: 0,
      marginMicros: 0,
      latencyMs: 1200,
      providerCalls: 2,
      failedCalls: 2,
    });
    expect(byId.get(ids.editLoss!)).toMatchObject({ marginMicros: 6 * creditValueMicros - 400_000 });
    expect(byId.get(ids.editLoss!)!.marginMicros).toBeLessThan(0);
    expect(byId.get(ids.resize!)).toMatchObject({
      provider: "local",
      price: 1,
      revenueMicros: creditValueMicros,
      providerCostMicros: 0,
      providerCalls: 1,
      latencyMs: resizeLatency,
    });
  });
});
