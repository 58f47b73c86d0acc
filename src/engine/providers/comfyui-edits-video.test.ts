import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { readMp4 } from "../../../tests/fakes/comfyui-media";
import { comfyStandardModels, startComfyUiFake, type ComfyUiFake } from "../../../tests/fakes/comfyui";
import { runCapability } from "../../../tests/support/run-capability";
import type { SavedTask } from "../pipeline";
import { createComfyUiAdapter } from "./comfyui";

/** The capabilities ComfyUI serves through FLUX Kontext by instruction, and Wan 2.2 image-to-video. */

const adapter = createComfyUiAdapter({ firstPollMs: 5, maxPollMs: 20 });
const coffee = readFileSync("tests/fixtures/images/coffee.png");
const kontextModel = "flux1-dev-kontext_fp8_scaled.safetensors";

let fake: ComfyUiFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const comfy = (f: ComfyUiFake) => ({ adapter, config: { url: f.url } });
type Body = { prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>; client_id: string };
const submitted = (f: ComfyUiFake): Body =>
  JSON.parse(f.requests.findLast((r) => r.path === "/prompt")!.body.toString());

/** The Kontext graph with the prompt and the upload filled in, one image asked for. */
function expectKontext(f: ComfyUiFake, prompt: string, image: Buffer) {
  const body = submitted(f);
  expect(body.prompt["37"]!.inputs.unet_name).toBe(kontextModel);
  expect(body.prompt["6"]!.inputs.text).toBe(prompt);
  expect(body.prompt["125"]!.inputs.amount).toBe(1);
  expect(typeof body.prompt["31"]!.inputs.seed).toBe("number");
  expect(f.uploads.get(String(body.prompt["41"]!.inputs.image))).toEqual(image);
}

describe("ComfyUI: style, background and restoration with FLUX Kontext", () => {
  it("restyles with the catalog's prompt as is at a middling strength", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 1 });
    const prompt = "Turn this photo into a watercolor painting with soft washes and visible paper texture.";
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "style",
      image: coffee,
      stepOptions: { prompt, strength: 0.7 },
    });
    expect(result.outputs).toHaveLength(1);
    expect(result.outputs[0]).toMatchObject({ width: 1024, height: 1024, mime: "image/png" });
    expect(result).toMatchObject({ provider: "comfyui", costMicros: 0 });
    expectKontext(fake, prompt, coffee);
  });

  it.each([
    [0.2, /\nStay very close to the original/],
    [1, /\nYou may reinterpret shapes and details freely/],
  ])(
    "says how far a style may go at strength %s, since Kontext has no strength setting",
    async (strength, sentence) => {
      fake = await startComfyUiFake({ pollsUntilDone: 0 });
      await runCapability({
        adapters: [comfy(fake)],
        capability: "style",
        image: coffee,
        stepOptions: { prompt: "Make it a pencil sketch.", strength },
      });
      const text = String(submitted(fake).prompt["6"]!.inputs.text);
      expect(text.startsWith("Make it a pencil sketch.\n")).toBe(true);
      expect(text).toMatch(sentence);
    },
  );

  it("replaces the background with the catalog's full instruction", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 0 });
    const prompt = "Replace only the background with: a sunny beach. Keep the subject exactly as it is.";
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "background-by-prompt",
      image: coffee,
      stepOptions: { prompt },
    });
    expect(result.outputs[0]).toMatchObject({ mime: "image/png" });
    expectKontext(fake, prompt, coffee);
  });

  it("restores faces by instruction and gives the photo back at its own size", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 0 });
    const photo = await sharp(coffee).resize(301, 203, { fit: "fill" }).png().toBuffer();
    const prompt = "Restore this photo: make every face sharp and natural again.";
    const result = await runCapability({
      adapters: [comfy(fake)],
      capability: "face-restore",
      image: photo,
      stepOptions: { prompt, fidelity: 0.7 },
    });
    // Kontext answered 1024 × 1024; the restoration is the same photo, so the same size.
    expect(result.outputs[0]).toMatchObject({ width: 301, height: 203, meta: { fidelity: 0.7 } });
    // High fidelity (CodeFormer's sense) asks to stay close to the original.
    expectKontext(fake, `${prompt}\nStay very close to the original: keep its composition, shapes and details.`, photo);
  });

  it("lets a low fidelity invent detail", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 0 });
    await runCapability({
      adapters: [comfy(fake)],
      capability: "face-restore",
      image: coffee,
      stepOptions: { prompt: "Restore it.", fidelity: 0.05 },
    });
    expect(submitted(fake).prompt["6"]!.inputs.text).toMatch(/^Restore it\.\nYou may reinterpret/);
  });
});

describe("ComfyUI: image-to-video with Wan 2.2", () => {
  const video = (
    durationSeconds: 5 | 10,
    aspectRatio: "16:9" | "9:16" | "1:1",
    extra: Partial<Parameters<typeof runCapability>[0]> = {},
  ) =>
    runCapability({
      adapters: [comfy(fake!)],
      capability: "image-to-video",
      image: coffee,
      stepOptions: { prompt: "A slow push-in on the steaming cup.", durationSeconds, aspectRatio },
      ...extra,
    });

  it("queues the Wan workflow with the frame size and 24 fps × seconds (+1) frames, and returns ComfyUI's MP4", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 2 });
    const result = await video(5, "9:16");
    const body = submitted(fake);
    expect(body.prompt["37"]!.inputs.unet_name).toBe("wan2.2_ti2v_5B_fp16.safetensors");
    expect(body.prompt["55"]!.inputs).toEqual({
      vae: ["39", 0],
      start_image: ["56", 0],
      width: 704,
      height: 1280,
      length: 121,
      batch_size: 1,
    });
    expect(body.prompt["57"]!.inputs).toEqual({ images: ["8", 0], fps: 24 });
    expect(body.prompt["6"]!.inputs.text).toBe("A slow push-in on the steaming cup.");
    expect(String(body.prompt["7"]!.inputs.text)).toMatch(/flickering/);
    expect(typeof body.prompt["3"]!.inputs.seed).toBe("number");
    expect(fake.uploads.get(String(body.prompt["56"]!.inputs.image))).toEqual(coffee);

    expect(result.outputs).toHaveLength(1);
    expect(result.outputs[0]).toMatchObject({
      mime: "video/mp4",
      ext: "mp4",
      width: 704,
      height: 1280,
      meta: { durationSeconds: 5, fps: 24 },
    });
    // The bytes are the file SaveVideo wrote, fetched with /view from its subfolder.
    expect(readMp4(result.outputs[0]!.data)).toEqual({ width: 704, height: 1280, frames: 121, fps: 24 });
    const view = new URL(fake.requests.find((r) => r.path.startsWith("/view"))!.path, "http://x").searchParams;
    expect(view.get("filename")).toMatch(/^video_\d{5}_\.mp4$/);
    expect([view.get("subfolder"), view.get("type")]).toEqual(["pixelwerk", "output"]);
    expect(result).toMatchObject({ provider: "comfyui", costMicros: 0 });
  });

  it.each([
    [10, "16:9", { width: 1280, height: 704, frames: 241 }],
    [5, "1:1", { width: 960, height: 960, frames: 121 }],
  ] as const)("makes %i s at %s", async (seconds, aspectRatio, expected) => {
    fake = await startComfyUiFake({ pollsUntilDone: 0 });
    const result = await video(seconds, aspectRatio);
    expect(result.outputs[0]).toMatchObject({ width: expected.width, height: expected.height });
    expect(readMp4(result.outputs[0]!.data)).toEqual({ ...expected, fps: 24 });
    expect(submitted(fake).prompt["55"]!.inputs).toMatchObject({
      width: expected.width,
      height: expected.height,
      length: expected.frames,
    });
  });

  it("saves the prompt id, and a resumed attempt polls the same video instead of paying for it again", async () => {
    fake = await startComfyUiFake({ pollsUntilDone: 100 });
    const saved: SavedTask[] = [];
    const first = await video(5, "16:9", {
      timeoutSeconds: 0.3,
      saveTask: async (task) => void saved.push(task),
    }).catch((e: unknown) => e);
    expect(first).toMatchObject({ failure: "retriable" });
    expect(saved[0]).toEqual({ step: 0, provider: "comfyui", state: { promptId: fake.prompts[0]!.id } });

    fake.options.pollsUntilDone = 0;
    const prompts = fake.count("POST", "/prompt");
    const resumed = await video(5, "16:9", { savedTask: saved[0] });
    expect(readMp4(resumed.outputs[0]!.data)).toMatchObject({ width: 1280, height: 704, frames: 121 });
    expect(fake.count("POST", "/prompt")).toBe(prompts);
  });

  it("a server without the Wan model refuses the video (misconfigured, the next provider's turn) and still serves Kontext", async () => {
    fake = await startComfyUiFake({
      pollsUntilDone: 0,
      models: comfyStandardModels.filter((m) => !m.startsWith("wan2.2_ti2v")),
    });
    const error = await video(5, "16:9").catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: "misconfigured" });
    expect((error as Error).message).toMatch(
      /node 37 \(UNETLoader\): Value not in list: unet_name: 'wan2\.2_ti2v_5B_fp16\.safetensors'/,
    );
    expect(fake.count("POST", "/prompt")).toBe(1);

    const styled = await runCapability({
      adapters: [comfy(fake)],
      capability: "style",
      image: coffee,
      stepOptions: { prompt: "Make it a pencil sketch." },
    });
    expect(styled.outputs).toHaveLength(1);
  });
});
