import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stylePresets } from "@/catalog/generators/prompts";
import { postLedgerEntry } from "@/features/credits/server/ledger";
import { jobs } from "@/server/db/schema";
import { startComfyUiFake, type ComfyUiFake } from "../fakes/comfyui";
import { readMp4 } from "../fakes/comfyui-media";
import { accountIdOf } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Job = JobBody & { price: number; outputs: (JobBody["outputs"][number] & { mime: string })[] };
type Generator = { id: string; available: boolean; requires: string[]; models?: Record<string, boolean> };
type Workflow = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

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
  "change-background",
];

/** The class type and model file of a workflow's main loader: which bundled workflow ran. */
function modelOf(workflow: Workflow): string {
  const loader = Object.values(workflow).find((n) =>
    ["CheckpointLoaderSimple", "UNETLoader", "UpscaleModelLoader"].includes(n.class_type),
  )!;
  return String(loader.inputs.ckpt_name ?? loader.inputs.unet_name ?? loader.inputs.model_name);
}
const promptOf = (workflow: Workflow) =>
  String(Object.values(workflow).find((n) => n.class_type === "CLIPTextEncode")!.inputs.text);

const kontext = "flux1-dev-kontext_fp8_scaled.safetensors";

/**
 * The promise for self-hosters: with only COMFYUI_URL set (no vendor key, no webhook), every
 * generative generator is offered and runs, through the real app (HTTP, database, queue, worker).
 */
describe("a server with only a ComfyUI configured", () => {
  let comfy: ComfyUiFake;
  let server: TestServer;
  let user: TestUser;
  let photoId: string;
  let maskId: string;

  async function upload(bytes: Buffer, name: string): Promise<string> {
    const answer = await user.json<{ asset: { id: string } }>("/api/v1/assets", uploadBody(bytes, name, "image/png"));
    expect(answer.status).toBe(201);
    return answer.body.asset.id;
  }

  async function run(generator: string, inputs: Record<string, unknown>): Promise<Job> {
    const submitted = await user.json<{ job: Job }>("/api/v1/jobs", jsonBody({ generator, inputs }));
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    await waitForJob(user, submitted.body.job.id, 60_000);
    const job = (await user.json<{ job: Job }>(`/api/v1/jobs/${submitted.body.job.id}`)).body.job;
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    const [row] = await server.rt.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row).toMatchObject({ provider: "comfyui", providerCostMicros: 0 });
    return job;
  }

  const lastWorkflow = () => comfy.prompts.at(-1)!.workflow as Workflow;

  beforeAll(async () => {
    comfy = await startComfyUiFake({ pollsUntilDone: 1 });
    server = await startTestServer({ env: { COMFYUI_URL: comfy.url } });
    user = await signUpAndIn(server.baseUrl);
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
    photoId = await upload(readFileSync("tests/fixtures/images/coffee.png"), "coffee.png");
    const mask = await sharp({ create: { width: 600, height: 400, channels: 3, background: "black" } })
      .composite([
        { input: { create: { width: 100, height: 100, channels: 3, background: "white" } }, left: 250, top: 150 },
      ])
      .png()
      .toBuffer();
    maskId = await upload(mask, "mask.png");
  });
  afterAll(async () => {
    await server?.close();
    await comfy?.close();
  });

  it("lists every generative generator as available, text-to-image with FLUX schnell only", async () => {
    const { generators } = (await fetch(`${server.baseUrl}/api/v1/generators`).then((r) => r.json())) as {
      generators: Generator[];
    };
    for (const id of generativeGenerators) {
      expect(
        generators.find((g) => g.id === id),
        id,
      ).toMatchObject({ available: true, requires: [] });
    }
    const textToImage = generators.find((g) => g.id === "text-to-image")!;
    expect(
      Object.entries(textToImage.models!)
        .filter(([, runs]) => runs)
        .map(([model]) => model),
    ).toEqual(["flux-schnell"]);
  });

  it("text-to-image with FLUX schnell", async () => {
    const job = await run("text-to-image", {
      prompt: "a lighthouse at dawn",
      model: "flux-schnell",
      aspectRatio: "3:2",
    });
    expect(job.outputs[0]).toMatchObject({ width: 1216, height: 832, mime: "image/png" });
    expect(modelOf(lastWorkflow())).toBe("flux1-schnell-fp8.safetensors");
  });

  it("edit, ai-headshot and variations with FLUX Kontext", async () => {
    const edit = await run("edit", { image: photoId, prompt: "make the cup red" });
    expect(edit.outputs).toHaveLength(1);
    expect(promptOf(lastWorkflow())).toMatch(/^make the cup red\n/);
    expect(modelOf(lastWorkflow())).toBe(kontext);

    const headshot = await run("ai-headshot", { image: photoId, look: "corporate" });
    expect(headshot.outputs).toHaveLength(1);
    expect(modelOf(lastWorkflow())).toBe(kontext);

    const variations = await run("variations", { image: photoId, count: 2 });
    expect(variations.outputs).toHaveLength(2);
    expect(lastWorkflow()["125"]!.inputs.amount).toBe(2);
  });

  it("expand and erase with the inpainting checkpoint", async () => {
    const expand = await run("expand", { image: photoId, sides: "left-right", amount: 25 });
    expect(expand.outputs[0]).toMatchObject({ width: 900, height: 400 });
    expect(Object.values(lastWorkflow()).map((n) => n.class_type)).toContain("ImagePadForOutpaint");

    const erase = await run("erase", { image: photoId, mask: maskId });
    expect(erase.outputs[0]).toMatchObject({ width: 600, height: 400 });
    expect(modelOf(lastWorkflow())).toBe("512-inpainting-ema.safetensors");
  });

  it("style, restore and a background by prompt through Kontext instructions", async () => {
    await run("style", { image: photoId, style: "watercolor" });
    expect(promptOf(lastWorkflow()).startsWith(stylePresets.watercolor)).toBe(true);
    expect(modelOf(lastWorkflow())).toBe(kontext);

    const restore = await run("restore", { image: photoId, fidelity: 0.8 });
    expect(restore.outputs[0]).toMatchObject({ width: 600, height: 400 });
    expect(promptOf(lastWorkflow())).toMatch(/^Restore this photo/);

    const background = await run("change-background", { image: photoId, prompt: "a sunny beach" });
    expect(background).toMatchObject({ price: 5 });
    expect(promptOf(lastWorkflow())).toMatch(/^Replace only the background with: a sunny beach\./);
    expect(modelOf(lastWorkflow())).toBe(kontext);
  });

  it("ai-upscale with Real-ESRGAN", async () => {
    const job = await run("ai-upscale", { image: photoId, scale: 2 });
    expect(job.outputs[0]).toMatchObject({ width: 1200, height: 800 });
    expect(modelOf(lastWorkflow())).toBe("RealESRGAN_x4plus.pth");
  });

  it("ad-video with Wan 2.2: an MP4 of the asked frame size and length, stored as the job's output", async () => {
    const job = await run("ad-video", {
      image: photoId,
      prompt: "coffee steaming on a table",
      durationSeconds: 5,
      aspectRatio: "16:9",
    });
    expect(job).toMatchObject({ price: 10 });
    expect(job.outputs[0]).toMatchObject({ mime: "video/mp4", width: 1280, height: 704 });
    expect(modelOf(lastWorkflow())).toBe("wan2.2_ti2v_5B_fp16.safetensors");
    const download = await user.request(job.outputs[0]!.url);
    expect(download.status).toBe(200);
    expect(readMp4(Buffer.from(await download.arrayBuffer()))).toEqual({
      width: 1280,
      height: 704,
      frames: 121,
      fps: 24,
    });
  });

  it("captured every hold", async () => {
    const { body } = await user.json<{ account: { held: number; balance: number } }>("/api/v1/ledger");
    // 50 starter credits + 100 granted; 1 + 5 + 6 + 8 + 5 + 4 + 5 + 3 + 5 + 3 + 10 spent.
    expect(body.account).toMatchObject({ held: 0, balance: 150 - 55 });
  });
});
