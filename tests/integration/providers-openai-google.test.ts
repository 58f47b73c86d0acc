import { readFileSync } from "node:fs";
import { asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generatorPrice } from "@/catalog/generators";
import { modelPrices } from "@/catalog/generators/generative";
import { starterCredits } from "@/catalog/pricing";
import { jobs, providerCalls } from "@/server/db/schema";
import { startGeminiFake, type GeminiFake } from "../fakes/gemini";
import { startOpenAIFake, type OpenAIFake } from "../fakes/openai";
import { accountIdOf, moneyState } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Submitted = { job: { id: string; status: string; price: number } };
type ErrorBody = { error: { code: string; message: string } };

/**
 * The generative generators over real HTTP, with OpenAI and Gemini as loopback fakes speaking their
 * wire formats: the job, the money and the provider records as an operator would see them.
 */
describe("OpenAI and Gemini behind the jobs API", () => {
  let server: TestServer;
  let openai: OpenAIFake;
  let gemini: GeminiFake;

  async function newUserWithPhoto(): Promise<{ user: TestUser; photoId: string }> {
    const user = await signUpAndIn(server.baseUrl);
    const upload = await user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/coffee.png"), "coffee.png", "image/png"),
    );
    expect(upload.status).toBe(201);
    return { user, photoId: upload.body.asset.id };
  }

  async function providerRecords(jobId: string) {
    const [job] = await server.rt.db.select().from(jobs).where(eq(jobs.id, jobId));
    const calls = await server.rt.db
      .select()
      .from(providerCalls)
      .where(eq(providerCalls.jobId, jobId))
      .orderBy(asc(providerCalls.attempt), asc(providerCalls.callIndex));
    return { job: job!, calls };
  }

  beforeAll(async () => {
    [openai, gemini] = await Promise.all([startOpenAIFake(), startGeminiFake()]);
    server = await startTestServer({
      env: {
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.baseUrl,
        GOOGLE_GENERATIVE_AI_API_KEY: gemini.apiKey,
        GOOGLE_GENERATIVE_AI_BASE_URL: gemini.baseUrl,
        PROVIDER_RETRY_DELAY_MS: "20",
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([openai?.close(), gemini?.close()]);
  });
  afterEach(() => {
    openai.behave("success");
    gemini.behave("success");
  });

  it("runs text-to-image with gpt-image-1 and records provider, model, cost and calls", async () => {
    const { user } = await newUserWithPhoto();
    const submitted = await user.json<Submitted>(
      "/api/v1/jobs",
      jsonBody({
        generator: "text-to-image",
        inputs: { prompt: "a lighthouse at dawn", model: "gpt-image-1", aspectRatio: "3:2" },
      }),
    );
    expect(submitted.status).toBe(202);
    expect(submitted.body.job.price).toBe(modelPrices["gpt-image-1"]);
    const job = await waitForJob(user, submitted.body.job.id);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.outputs).toHaveLength(1);
    expect(job.outputs[0]).toMatchObject({ width: 1536, height: 1024 });

    const output = await user.request(job.outputs[0]!.url);
    expect(output.status).toBe(200);
    expect(await sharp(Buffer.from(await output.arrayBuffer())).metadata()).toMatchObject({
      format: "png",
      width: 1536,
      height: 1024,
    });

    const sent = (await openai.imageRequests()).find((r) => r.prompt.includes("a lighthouse at dawn"));
    expect(sent).toMatchObject({
      endpoint: "generations",
      model: "gpt-image-1",
      size: "1536x1024",
      n: 1,
      quality: "medium",
    });
    expect(sent!.authorization).toBe(`Bearer ${openai.apiKey}`);

    const records = await providerRecords(job.id);
    expect(records.job).toMatchObject({
      provider: "openai",
      model: "gpt-image-1",
      providerCostMicros: 42_000,
      providerCalls: 1,
    });
    expect(records.calls).toEqual([
      expect.objectContaining({
        provider: "openai",
        model: "gpt-image-1",
        capability: "text-to-image",
        outcome: "succeeded",
        costMicros: 42_000,
      }),
    ]);
    const money = await moneyState(server.rt.db, await accountIdOf(user));
    expect(money).toMatchObject({ balance: starterCredits - modelPrices["gpt-image-1"], held: 0 });
  });

  it("runs an edit of an uploaded photo through OpenAI's edits endpoint", async () => {
    const { user, photoId } = await newUserWithPhoto();
    const submitted = await user.json<Submitted>(
      "/api/v1/jobs",
      jsonBody({ generator: "edit", inputs: { image: photoId, prompt: "make the cup blue" } }),
    );
    expect(submitted.status).toBe(202);
    const job = await waitForJob(user, submitted.body.job.id);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    const output = await user.request(job.outputs[0]!.url);
    expect(output.status).toBe(200);

    const sent = (await openai.imageRequests()).find(
      (r) => r.endpoint === "edits" && r.prompt.includes("make the cup blue"),
    );
    expect(sent).toBeDefined();
    expect(sent!.images).toHaveLength(1);
    expect(await sharp(sent!.images[0]!).metadata()).toMatchObject({ width: 600, height: 400 });

    const records = await providerRecords(job.id);
    expect(records.job).toMatchObject({ provider: "openai", model: "gpt-image-1", providerCostMicros: 42_000 });
    expect(records.calls.map((c) => [c.provider, c.outcome])).toEqual([["openai", "succeeded"]]);
    const money = await moneyState(server.rt.db, await accountIdOf(user));
    expect(money).toMatchObject({ balance: starterCredits - generatorPrice("edit"), held: 0 });
  });

  it("fails a safety-blocked edit with content_blocked, releases the hold and asks no other provider", async () => {
    const { user, photoId } = await newUserWithPhoto();
    openai.behave("moderation-blocked");
    const geminiCallsBefore = gemini.generateRequests().length;
    const submitted = await user.json<Submitted>(
      "/api/v1/jobs",
      jsonBody({ generator: "edit", inputs: { image: photoId, prompt: "something not allowed" } }),
    );
    expect(submitted.status).toBe(202);
    const job = await waitForJob(user, submitted.body.job.id);
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("content_blocked");
    expect(job.error?.message).toMatch(/Nothing was charged/);
    expect(gemini.generateRequests()).toHaveLength(geminiCallsBefore);

    const records = await providerRecords(job.id);
    expect(records.calls.map((c) => [c.provider, c.outcome, c.failure, c.costMicros])).toEqual([
      ["openai", "failed", "blocked", 0],
    ]);
    const money = await moneyState(server.rt.db, await accountIdOf(user));
    expect(money).toMatchObject({ balance: starterCredits, held: 0 });
    expect(money.count("hold")).toBe(1);
    expect(money.count("release")).toBe(1);
    expect(money.count("capture")).toBe(0);
  });

  it("falls back to Gemini when OpenAI keeps failing, and bills the Gemini call only", async () => {
    const { user, photoId } = await newUserWithPhoto();
    openai.behave("server-error");
    const submitted = await user.json<Submitted>(
      "/api/v1/jobs",
      jsonBody({ generator: "edit", inputs: { image: photoId, prompt: "add a saucer" } }),
    );
    const job = await waitForJob(user, submitted.body.job.id);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    const records = await providerRecords(job.id);
    expect(records.job).toMatchObject({
      provider: "google",
      model: "gemini-2.5-flash-image",
      providerCostMicros: 39_000,
      providerCalls: 3,
    });
    expect(records.calls.map((c) => [c.provider, c.outcome, c.costMicros])).toEqual([
      ["openai", "failed", 0],
      ["openai", "failed", 0],
      ["google", "succeeded", 39_000],
    ]);
  });
});

describe("generative generators without provider keys", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("answers 503 provider_not_configured naming the keys to set, and holds nothing", async () => {
    const user = await signUpAndIn(server.baseUrl);
    const response = await user.json<ErrorBody>(
      "/api/v1/jobs",
      jsonBody({ generator: "text-to-image", inputs: { prompt: "a lighthouse at dawn" } }),
    );
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe("provider_not_configured");
    expect(response.body.error.message).toContain("OPENAI_API_KEY");
    expect(response.body.error.message).toContain("GOOGLE_GENERATIVE_AI_API_KEY");

    const chosen = await user.json<ErrorBody>(
      "/api/v1/jobs",
      jsonBody({ generator: "text-to-image", inputs: { prompt: "a lighthouse at dawn", model: "gpt-image-1" } }),
    );
    expect(chosen.status).toBe(503);
    expect(chosen.body.error.message).toContain("OPENAI_API_KEY");
    expect(chosen.body.error.message).not.toContain("GOOGLE_GENERATIVE_AI_API_KEY");

    const money = await moneyState(server.rt.db, await accountIdOf(user));
    expect(money).toMatchObject({ balance: starterCredits, held: 0 });
    expect(money.count("hold")).toBe(0);
    expect(money.jobs).toHaveLength(0);
  });
});
