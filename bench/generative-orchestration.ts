// What our orchestration adds to a generative job: the same OpenAI-shaped vendor (a loopback fake
// that answers at once) called directly through the adapter, and as a whole job over HTTP (accept
// transaction, queue, directory, pipeline, storage, capture). Plus the price of a fallback.
import { and, eq } from "drizzle-orm";
import { openaiAdapter } from "@/engine/providers/openai";
import { googleAdapter } from "@/engine/providers/google";
import { jobs } from "@/server/db/schema";
import { fakeGeminiKey, startGeminiFake } from "../tests/fakes/gemini";
import { fakeOpenAIKey, startOpenAIFake } from "../tests/fakes/openai";
import { jsonBody, signUpAndIn } from "../tests/support/client";
import { runCapability } from "../tests/support/run-capability";
import { startTestServer } from "../tests/support/server";

const runs = 20;
const prompt = { prompt: "a lighthouse at dusk", aspectRatio: "1:1", count: 1 };

export async function run() {
  const openai = await startOpenAIFake();
  const gemini = await startGeminiFake();
  const server = await startTestServer({
    env: {
      LOG_LEVEL: "error",
      OPENAI_API_KEY: fakeOpenAIKey,
      OPENAI_BASE_URL: openai.baseUrl,
      GOOGLE_GENERATIVE_AI_API_KEY: fakeGeminiKey,
      GOOGLE_GENERATIVE_AI_BASE_URL: gemini.baseUrl,
      QUEUE_POLL_SECONDS: "0.5",
    },
  });
  try {
    const openaiOnly = [{ adapter: openaiAdapter, config: { apiKey: fakeOpenAIKey, baseUrl: openai.baseUrl } }];
    const direct = await time(runs, () =>
      runCapability({ adapters: openaiOnly, capability: "text-to-image", stepOptions: prompt, family: "gpt-image-1" }),
    );

    // The first user is the admin: it grants itself the credits the runs spend.
    const user = await signUpAndIn(server.baseUrl);
    const grant = await user.json(
      "/api/v1/admin/credits",
      jsonBody({ email: user.email, amount: 1000, memo: "benchmark runs" }),
    );
    if (grant.status !== 200 && grant.status !== 201) throw new Error(`grant failed: ${grant.status}`);
    const job = await time(runs, async () => {
      const submitted = await user.json<{ job: { id: string; status: string } }>(
        "/api/v1/jobs?wait=30",
        jsonBody({ generator: "text-to-image", inputs: { ...prompt, model: "gpt-image-1" } }),
      );
      if (submitted.body.job.status !== "succeeded") throw new Error(`job ended ${submitted.body.job.status}`);
    });
    const [row] = await server.rt.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.generator, "text-to-image"), eq(jobs.status, "succeeded")))
      .limit(1);

    openai.behave("server-error");
    const both = [
      ...openaiOnly,
      { adapter: googleAdapter, config: { apiKey: fakeGeminiKey, baseUrl: gemini.baseUrl } },
    ];
    const fallback = await time(5, () =>
      runCapability({ adapters: both, capability: "text-to-image", stepOptions: prompt }),
    );

    console.log("| path | runs | p50 ms | p95 ms |");
    console.log("| --- | --- | --- | --- |");
    console.log(`| adapter call (AI SDK → fake, decode, re-encode) | ${runs} | ${direct.p50} | ${direct.p95} |`);
    console.log(`| whole job over HTTP (POST ?wait, queue poll 0.5 s) | ${runs} | ${job.p50} | ${job.p95} |`);
    console.log(`| OpenAI 500 twice (20 ms backoff) → Gemini | 5 | ${fallback.p50} | ${fallback.p95} |`);
    console.log(
      `\nA recorded job: provider ${row?.provider}, model ${row?.model}, cost ${row?.providerCostMicros} µ$, ${row?.providerCalls} call(s), provider latency ${row?.providerLatencyMs} ms.`,
    );
  } finally {
    await server.close();
    await openai.close();
    await gemini.close();
  }
}

async function time(count: number, task: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await task();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!);
  return { p50: at(0.5), p95: at(0.95) };
}
