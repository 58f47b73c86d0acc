import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restorePrompt } from "@/catalog/generators/prompts";
import { postLedgerEntry } from "@/features/credits/server/ledger";
import { startGeminiFake, type GeminiFake } from "../fakes/gemini";
import { startOpenAIFake, type OpenAIFake } from "../fakes/openai";
import { accountIdOf } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Job = JobBody & {
  provider: string | null;
  model: string | null;
  result: Record<string, unknown> | null;
  outputs: (JobBody["outputs"][number] & { mime: string })[];
};
type Generator = { id: string; available: boolean; requires: string[]; models?: Record<string, boolean> };

const generativeGenerators = [
  "text-to-image",
  "edit",
  "expand",
  "erase",
  "style",
  "restore",
  "ai-upscale",
  "ai-headshot",
  "ad-video",
  "variations",
];

/** One run of each generative generator, on a small photo and a mask of its top-left quarter. */
function everyRun(photo: string, mask: string): [string, Record<string, unknown>][] {
  return [
    ["text-to-image", { prompt: "a lighthouse at dawn", aspectRatio: "1:1" }],
    ["edit", { image: photo, prompt: "make the cup blue" }],
    ["expand", { image: photo, sides: "left-right", amount: 25 }],
    ["erase", { image: photo, mask }],
    ["style", { image: photo, style: "watercolor" }],
    ["restore", { image: photo, fidelity: 0.7 }],
    ["ai-upscale", { image: photo, scale: 2 }],
    ["ai-headshot", { image: photo, look: "corporate", count: 1 }],
    ["ad-video", { image: photo, prompt: "the cup steams gently", durationSeconds: 5, aspectRatio: "9:16" }],
    ["variations", { image: photo, count: 1 }],
    ["change-background", { image: photo, prompt: "a sunny beach" }],
  ];
}

/**
 * The promise: with a key for any one supported vendor, a new user can run every generator
 * from its page and the API. Each vendor alone, through the real app (HTTP, database, queue,
 * worker), against its wire-protocol fake; the video answers after two polls.
 */
async function startWorld(env: Record<string, string>) {
  const server = await startTestServer({ env: { ...env, PROVIDER_RETRY_DELAY_MS: "10" } });
  const user = await signUpAndIn(server.baseUrl);
  // The starter credits do not cover one run of everything.
  const accountId = await accountIdOf(user);
  await server.rt.db.transaction((tx) =>
    postLedgerEntry(tx, {
      accountId,
      amount: 100,
      kind: "admin_adjustment",
      referenceType: "admin",
      referenceId: "test",
      idempotencyKey: `grant:${accountId}`,
    }),
  );
  const upload = async (bytes: Buffer, name: string) => {
    const answer = await user.json<{ asset: { id: string } }>("/api/v1/assets", uploadBody(bytes, name, "image/png"));
    expect(answer.status).toBe(201);
    return answer.body.asset.id;
  };
  // Small, so the local AI upscale (ESRGAN on the CPU) takes a moment only.
  const photo = await sharp(readFileSync("tests/fixtures/images/coffee.png")).resize(150, 100).png().toBuffer();
  const mask = await sharp({ create: { width: 150, height: 100, channels: 3, background: "#000" } })
    .composite([{ input: { create: { width: 75, height: 50, channels: 3, background: "#fff" } }, left: 0, top: 0 }])
    .png()
    .toBuffer();
  return { server, user, photo, photoId: await upload(photo, "photo.png"), maskId: await upload(mask, "mask.png") };
}

async function listGenerators(server: TestServer): Promise<Generator[]> {
  const answer = (await fetch(`${server.baseUrl}/api/v1/generators`).then((r) => r.json())) as {
    generators: Generator[];
  };
  return answer.generators;
}

/** Submits every run at once and waits for each: they all must succeed. */
async function runEverything(user: TestUser, runs: [string, Record<string, unknown>][]): Promise<Map<string, Job>> {
  const ids = await Promise.all(
    runs.map(async ([generator, inputs]) => {
      const submitted = await user.json<{ job: Job }>("/api/v1/jobs", jsonBody({ generator, inputs }));
      expect(submitted.status, `${generator}: ${JSON.stringify(submitted.body)}`).toBe(202);
      return [generator, submitted.body.job.id] as const;
    }),
  );
  const jobs = new Map<string, Job>();
  for (const [generator, id] of ids) {
    await waitForJob(user, id, 120_000);
    const job = (await user.json<{ job: Job }>(`/api/v1/jobs/${id}`)).body.job;
    expect(job.status, `${generator}: ${JSON.stringify(job.error)}`).toBe("succeeded");
    expect(job.outputs.length, generator).toBeGreaterThan(0);
    jobs.set(generator, job);
  }
  return jobs;
}

function expectServedBy(jobs: Map<string, Job>, provider: string) {
  for (const [generator, job] of jobs) {
    // The AI upscale has a local model; every other generative step went to the vendor.
    expect(job.provider, generator).toBe(generator === "ai-upscale" ? "local" : provider);
  }
}

describe("a server with only OPENAI_API_KEY", () => {
  let openai: OpenAIFake;
  let world: Awaited<ReturnType<typeof startWorld>>;

  beforeAll(async () => {
    openai = await startOpenAIFake();
    world = await startWorld({ OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseUrl });
  });
  afterAll(async () => {
    await world?.server.close();
    await openai?.close();
  });

  it("lists every generative generator as available", async () => {
    const generators = await listGenerators(world.server);
    for (const id of [...generativeGenerators, "change-background"]) {
      expect(
        generators.find((g) => g.id === id),
        id,
      ).toMatchObject({ available: true, requires: [] });
    }
    expect(generators.find((g) => g.id === "text-to-image")!.models).toMatchObject({
      "gpt-image-1": true,
      "gpt-image-1-mini": true,
      "flux-schnell": false,
    });
  });

  it("runs every one of them to succeeded, the video with Sora", async () => {
    openai.videos.scenario = { polls: 2 };
    const jobs = await runEverything(world.user, everyRun(world.photoId, world.maskId));
    expectServedBy(jobs, "openai");
    expect(jobs.get("text-to-image")!.model).toBe("gpt-image-1-mini");

    const video = jobs.get("ad-video")!;
    expect(video).toMatchObject({ model: "sora-2" });
    expect(video.outputs[0]).toMatchObject({ mime: "video/mp4", width: 720, height: 1280 });
    expect(video.result).toMatchObject({ durationSeconds: 4, requestedDurationSeconds: 5 });
    expect(openai.videos.creates()).toHaveLength(1);

    const sent = await openai.imageRequests();
    expect(
      sent.find((r) => r.prompt.startsWith(restorePrompt)),
      "restore",
    ).toMatchObject({ endpoint: "edits" });
    expect(sent.filter((r) => r.mask).length, "erase and expand send masks").toBe(2);
    for (const generator of ["edit", "style", "restore", "erase", "change-background"]) {
      expect(jobs.get(generator)!.outputs[0]!.mime, generator).toMatch(/^image\//);
    }
    // Erase and restore keep the photo's size, whatever size gpt-image drew at.
    expect(jobs.get("erase")!.outputs[0]).toMatchObject({ width: 150, height: 100 });
    expect(jobs.get("restore")!.outputs[0]).toMatchObject({ width: 150, height: 100 });
  });
});

describe("a server with only GOOGLE_GENERATIVE_AI_API_KEY", () => {
  let gemini: GeminiFake;
  let world: Awaited<ReturnType<typeof startWorld>>;

  beforeAll(async () => {
    gemini = await startGeminiFake();
    world = await startWorld({
      GOOGLE_GENERATIVE_AI_API_KEY: gemini.apiKey,
      GOOGLE_GENERATIVE_AI_BASE_URL: gemini.baseUrl,
    });
  });
  afterAll(async () => {
    await world?.server.close();
    await gemini?.close();
  });

  it("lists every generative generator as available", async () => {
    const generators = await listGenerators(world.server);
    for (const id of [...generativeGenerators, "change-background"]) {
      expect(
        generators.find((g) => g.id === id),
        id,
      ).toMatchObject({ available: true, requires: [] });
    }
    expect(generators.find((g) => g.id === "text-to-image")!.models).toMatchObject({
      "gemini-flash-image": true,
      "gpt-image-1": false,
    });
  });

  it("runs every one of them to succeeded, the video with Veo and the erase on a marked photo", async () => {
    gemini.videos.scenario = { polls: 2 };
    const jobs = await runEverything(world.user, everyRun(world.photoId, world.maskId));
    expectServedBy(jobs, "google");
    expect(jobs.get("text-to-image")!.model).toBe("gemini-2.5-flash-image");

    const video = jobs.get("ad-video")!;
    expect(video).toMatchObject({ model: "veo-3.1-lite-generate-preview" });
    expect(video.outputs[0]).toMatchObject({ mime: "video/mp4", width: 720, height: 1280 });
    expect(gemini.videos.submits()).toHaveLength(1);
    expect(gemini.videos.downloads()).toHaveLength(1);

    const requests = gemini.generateRequests();
    expect(
      requests.find((r) => r.text.startsWith(restorePrompt)),
      "restore",
    ).toBeDefined();
    const erase = requests.find((r) => r.text.includes("marked in translucent magenta"))!;
    expect(erase.text).toContain("Remove the object in the masked area");
    // The erase: outside the mask (the top-left quarter) every pixel is the photo's own.
    const output = await world.user.request(jobs.get("erase")!.outputs[0]!.url);
    const erased = await sharp(Buffer.from(await output.arrayBuffer()))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(erased.info).toMatchObject({ width: 150, height: 100 });
    const original = await sharp(world.photo).removeAlpha().raw().toBuffer();
    let changedOutside = 0;
    let changedInside = 0;
    for (let y = 0; y < 100; y++) {
      for (let x = 0; x < 150; x++) {
        const at = (y * 150 + x) * 3;
        const same =
          erased.data[at] === original[at] &&
          erased.data[at + 1] === original[at + 1] &&
          erased.data[at + 2] === original[at + 2];
        if (x < 75 && y < 50) changedInside += same ? 0 : 1;
        else changedOutside += same ? 0 : 1;
      }
    }
    expect(changedOutside).toBe(0);
    expect(changedInside).toBeGreaterThan(75 * 50 * 0.8);
  });
});
