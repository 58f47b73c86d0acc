import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelPrices } from "@/catalog/generators/generative";
import { providerCalls } from "@/server/db/schema";
import { startOpenAIFake, fakeOpenAIKey, type OpenAIFake } from "../fakes/openai";
import { accountIdOf, moneyState } from "../support/accounts";
import { jsonBody, signUpAndIn, type TestUser } from "../support/client";
import { waitForJob } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Generator = { id: string; available: boolean; requires: string[]; models?: Record<string, boolean> };

describe("orchestration: which provider runs, what it costs, and what stops a job", () => {
  let openai: OpenAIFake;
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    openai = await startOpenAIFake({ slowMs: 8_000 });
    server = await startTestServer({
      env: {
        OPENAI_API_KEY: fakeOpenAIKey,
        OPENAI_BASE_URL: openai.baseUrl,
        PROMPT_BLOCKLIST: "forbidden thing, gore",
        PROVIDER_RETRY_DELAY_MS: "10",
      },
    });
    user = await signUpAndIn(server.baseUrl);
  });
  afterAll(async () => {
    await server?.close();
    await openai?.close();
  });

  it("lists which models can run with the keys set, and which keys would enable the rest", async () => {
    const { body } = await user.json<{ generators: Generator[] }>("/api/v1/generators");
    const textToImage = body.generators.find((g) => g.id === "text-to-image")!;
    expect(textToImage.available).toBe(true);
    expect(textToImage.models).toMatchObject({ "gpt-image-1": true, "gpt-image-1-mini": true, "flux-schnell": false });
    // With one vendor's key every generative generator can run (issue 4's bar).
    for (const generator of body.generators) expect(generator.available, generator.id).toBe(true);
  });

  it("without a model, runs the first model a provider here offers, and charges its price per image", async () => {
    const accountId = await accountIdOf(user);
    const before = await moneyState(server.rt.db, accountId);
    const submitted = await user.json<{ job: { id: string; price: number; inputs: { model: string } } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "text-to-image", inputs: { prompt: "a lighthouse at dusk, oil painting", count: 2 } }),
    );
    expect(submitted.status).toBe(202);
    expect(submitted.body.job.inputs.model).toBe("gpt-image-1-mini");
    expect(submitted.body.job.price).toBe(2 * modelPrices["gpt-image-1-mini"]);
    const job = await waitForJob(user, submitted.body.job.id);
    expect(job.status).toBe("succeeded");
    expect(job.outputs).toHaveLength(2);
    const after = await moneyState(server.rt.db, accountId);
    expect(after.balance).toBe(before.balance - 2 * modelPrices["gpt-image-1-mini"]);
    const [row] = after.jobs.filter((j) => j.id === job.id);
    expect(row).toMatchObject({
      provider: "openai",
      model: "gpt-image-1-mini",
      providerCostMicros: 2 * 11_000,
      providerCalls: 1,
    });
  });

  it("refuses a prompt with a blocked term before anything is held or sent", async () => {
    const accountId = await accountIdOf(user);
    const before = await moneyState(server.rt.db, accountId);
    const requestsBefore = openai.requests.length;
    const refused = await user.json<{ error: { code: string; message: string } }>(
      "/api/v1/jobs",
      jsonBody({
        generator: "text-to-image",
        inputs: { prompt: "a poster with a Forbidden  Thing on it", model: "gpt-image-1" },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("prompt_blocked");
    expect(refused.body.error.message).toContain("forbidden thing");
    const german = await user.json<{ error: { message: string } }>(
      "/api/v1/jobs",
      jsonBody(
        { generator: "text-to-image", inputs: { prompt: "gore", model: "gpt-image-1" } },
        { "accept-language": "de" },
      ),
    );
    expect(german.body.error.message).toContain("nicht erlaubt");
    const after = await moneyState(server.rt.db, accountId);
    expect(after.balance).toBe(before.balance);
    expect(after.jobs).toHaveLength(before.jobs.length);
    expect(openai.requests.length).toBe(requestsBefore);
  });

  it("answers provider_not_configured for a model no provider here offers, holding nothing", async () => {
    const accountId = await accountIdOf(user);
    const before = await moneyState(server.rt.db, accountId);
    const refused = await user.json<{ error: { code: string; message: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "text-to-image", inputs: { prompt: "a red fox in snow", model: "flux-dev" } }),
    );
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("provider_not_configured");
    expect(refused.body.error.message).toContain("REPLICATE_API_TOKEN");
    expect((await moneyState(server.rt.db, accountId)).jobs).toHaveLength(before.jobs.length);
  });

  it("cancels a running job: the provider call is aborted, nothing is stored and the credits come back", async () => {
    const accountId = await accountIdOf(user);
    const before = await moneyState(server.rt.db, accountId);
    openai.queue("slow");
    const submitted = await user.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "text-to-image", inputs: { prompt: "a slow painting of a snail", model: "gpt-image-1" } }),
    );
    const id = submitted.body.job.id;
    await waitFor(
      async () => (await user.json<{ job: { status: string } }>(`/api/v1/jobs/${id}`)).body.job.status === "running",
    );
    const canceled = await user.json<{ job: { status: string } }>(`/api/v1/jobs/${id}/cancel`, { method: "POST" });
    expect(canceled.status).toBe(200);
    expect(canceled.body.job.status).toBe("canceled");

    // The attempt notices, stops, and records its aborted call; no output appears.
    await waitFor(
      async () => (await server.rt.db.select().from(providerCalls).where(eq(providerCalls.jobId, id))).length > 0,
    );
    const job = await waitForJob(user, id);
    expect(job.status).toBe("canceled");
    expect(job.outputs).toEqual([]);
    const after = await moneyState(server.rt.db, accountId);
    expect(after.balance).toBe(before.balance);
    expect(after.held).toBe(0);
    expect(
      after.entries
        .filter((e) => e.referenceId === id)
        .map((e) => e.kind)
        .sort(),
    ).toEqual(["hold", "release"]);

    const again = await user.json<{ error: { code: string } }>(`/api/v1/jobs/${id}/cancel`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("job_not_cancelable");
  });

  it("a job of another account cannot be canceled: 404", async () => {
    const other = await signUpAndIn(server.baseUrl);
    const submitted = await user.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "text-to-image", inputs: { prompt: "a quiet harbour", model: "gpt-image-1-mini" } }),
    );
    const refused = await other.json<{ error: { code: string } }>(`/api/v1/jobs/${submitted.body.job.id}/cancel`, {
      method: "POST",
    });
    expect(refused.status).toBe(404);
    expect((await waitForJob(user, submitted.body.job.id)).status).toBe("succeeded");
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("condition not met in time");
}
