import { randomInt } from "node:crypto";
import { sharp } from "../sharp";
import type { ToolOutput } from "../tools/types";
import { capabilityTable } from "./capability-table";
import { ComfyClient, type ComfyHistoryEntry, type ComfyImageRef } from "./comfyui-client";
import {
  comfyWorkflows,
  fillWorkflow,
  fluxSizes,
  wanFps,
  wanFrames,
  wanSizes,
  type ComfyWorkflowName,
  type WorkflowValue,
} from "./comfyui-workflow";
import { ProviderError } from "./errors";
import { fidelityOf, styleInstruction } from "./image-request";
import { imageOutput, videoOutput } from "./output";
import type { Capability } from "./capabilities";
import type { CapabilityRunner, ProviderAdapter, ProviderConfig, ToolContext } from "./types";
import { sleep } from "./vendor-task";

/**
 * ComfyUI (self-hosted): runs the bundled workflows (comfyui-workflows/*.json) on the operator's own
 * ComfyUI server: upload inputs, queue the prompt, poll its history, download the outputs.
 * The operator's GPU is not billed per call, so every offer costs 0.
 */

export type ComfyTiming = { firstPollMs: number; maxPollMs: number };
const defaultTiming: ComfyTiming = { firstPollMs: 250, maxPollMs: 2000 };

/** History polls that fail in a row (5xx, network) before the attempt gives up; its retry resumes the prompt. */
const maxPollFailures = 3;
const defaultNegativePrompt = "blurry, low quality, artifacts, watermark, text";
const videoNegativePrompt =
  "static frame, flickering, jitter, distorted or melting shapes, blurry, low quality, watermark, text, subtitles";

export function createComfyUiAdapter(timing: ComfyTiming = defaultTiming): ProviderAdapter {
  return {
    id: "comfyui",
    name: "ComfyUI (self-hosted)",
    settings: [
      { name: "url", env: "COMFYUI_URL", kind: "url", required: true },
      { name: "apiKey", env: "COMFYUI_API_KEY", kind: "secret", required: false },
    ],
    // text-to-image is an offer (not a plain capability) so only a catalog choice of FLUX schnell
    // runs here; adapters without offers would serve any model family.
    models: [
      {
        id: "flux1-schnell-fp8",
        family: "flux-schnell",
        capabilities: ["text-to-image"],
        costMicros: 0,
        unit: "image",
      },
    ],
    capabilities: [
      "edit-by-prompt",
      "style",
      "background-by-prompt",
      "face-restore",
      "inpaint",
      "outpaint",
      "upscale",
      "image-to-video",
    ],
    create: (config) => ({ id: "comfyui", capabilities: comfyRunners(config, timing) }),
    async testConnection(config, signal) {
      const stats = (await new ComfyClient(config).systemStats(signal)) as { system?: unknown };
      if (!stats?.system)
        throw new ProviderError("malformed", "COMFYUI_URL does not answer like ComfyUI (/system_stats)");
    },
  };
}

export const comfyUiAdapter = createComfyUiAdapter();

type Call = {
  context: ToolContext;
  run(
    workflow: ComfyWorkflowName,
    uploads: Record<string, Buffer>,
    values: Record<string, WorkflowValue>,
  ): Promise<Buffer[]>;
};

function comfyRunners(config: ProviderConfig, timing: ComfyTiming): Partial<Record<Capability, CapabilityRunner>> {
  const call = (context: ToolContext): Call => ({
    context,
    run: (workflow, uploads, values) =>
      runWorkflow(new ComfyClient(config), timing, context, workflow, uploads, values),
  });

  /** One FLUX Kontext edit by instruction, for the capabilities that are an edit with a fixed prompt. */
  const kontext = async ({ run }: Call, image: Buffer, prompt: string) => {
    const seed = randomSeed();
    const [result] = await run("edit-by-prompt", { image }, { prompt, seed, count: 1 });
    return { data: result!, seed };
  };

  return capabilityTable(call, {
    "text-to-image": async ({ run }, o) => {
      const seed = o.seed ?? randomSeed();
      const size = fluxSizes[o.aspectRatio] ?? fluxSizes["1:1"];
      const images = await run(
        "text-to-image",
        {},
        {
          prompt: o.prompt,
          negative_prompt: o.negativePrompt ?? "",
          seed,
          width: size.width,
          height: size.height,
          count: Math.min(4, Math.max(1, Math.round(o.count ?? 1))),
        },
      );
      return Promise.all(images.map((image) => imageOutput(image, { seed })));
    },
    inpaint: async ({ context, run }, image, o) => {
      const mask = await context.loadAsset(o.maskAssetId);
      const seed = randomSeed();
      const [result] = await run(
        "inpaint",
        { image, mask },
        {
          prompt: o.prompt,
          negative_prompt: defaultNegativePrompt,
          seed,
        },
      );
      return sizedOutput(result!, await sizeOf(image), { seed });
    },
    outpaint: async ({ run }, image, o) => {
      const seed = randomSeed();
      const size = await sizeOf(image);
      // The catalog grows each side by a fraction of the image; ComfyUI pads in pixels.
      const pixels = (fraction: number, of: number) => Math.max(0, Math.round(fraction * of));
      const [left, right] = [pixels(o.expand.left, size.width), pixels(o.expand.right, size.width)];
      const [top, bottom] = [pixels(o.expand.top, size.height), pixels(o.expand.bottom, size.height)];
      const [result] = await run(
        "outpaint",
        { image },
        {
          prompt: o.prompt,
          negative_prompt: defaultNegativePrompt,
          seed,
          top,
          right,
          bottom,
          left,
        },
      );
      return sizedOutput(result!, { width: size.width + left + right, height: size.height + top + bottom }, { seed });
    },
    upscale: async ({ run }, image, o) => {
      // Real-ESRGAN x4plus always makes 4x; the workflow scales that down to 2x when asked.
      const [result] = await run("upscale", { image }, { scale_by: o.scale / 4 });
      const size = await sizeOf(image);
      return sizedOutput(result!, { width: size.width * o.scale, height: size.height * o.scale }, { scale: o.scale });
    },
    "edit-by-prompt": async ({ run }, image, o) => {
      const seed = randomSeed();
      const count = Math.min(4, Math.max(1, Math.round(o.count ?? 1)));
      const images = await run("edit-by-prompt", { image }, { prompt: o.prompt, seed, count });
      // Kontext works at its own preferred sizes, so the edit keeps the size it came out with.
      return Promise.all(images.map((result) => imageOutput(result, { seed })));
    },
    // Kontext has no strength setting: how far a style may go is said in words, as for other vendors.
    style: async (call, image, o) => {
      const { data, seed } = await kontext(call, image, styleInstruction(o.prompt, o.strength));
      return imageOutput(data, { seed });
    },
    // The catalog's prompt already says to keep the subject and replace only the background.
    "background-by-prompt": async (call, image, o) => {
      const { data, seed } = await kontext(call, image, o.prompt);
      return imageOutput(data, { seed });
    },
    /**
     * Core ComfyUI has no face-restore node (CodeFormer and GFPGAN need custom nodes), so Kontext
     * restores by instruction. Fidelity is CodeFormer's: high keeps the original, low may invent
     * detail, which is a style strength the other way round. A restored photo keeps its size.
     */
    "face-restore": async (call, image, o) => {
      const fidelity = fidelityOf(o);
      const { data, seed } = await kontext(call, image, styleInstruction(o.prompt, 1 - fidelity));
      return sizedOutput(data, await sizeOf(image), { seed, fidelity });
    },
    "image-to-video": async ({ run }, image, o) => {
      const size = wanSizes[o.aspectRatio] ?? wanSizes["16:9"];
      const seed = randomSeed();
      const [video] = await run(
        "image-to-video",
        { image },
        {
          prompt: o.prompt,
          negative_prompt: videoNegativePrompt,
          seed,
          width: size.width,
          height: size.height,
          length: wanFrames(o.durationSeconds),
          fps: wanFps,
        },
      );
      // The latent node crops the image to exactly this frame size.
      return videoOutput(video!, size, { seed, durationSeconds: o.durationSeconds, fps: wanFps });
    },
  });
}

/**
 * Uploads, queues and waits. A prompt id saved by an earlier attempt is polled instead of queueing
 * the work again, unless ComfyUI no longer knows it (it was restarted).
 */
async function runWorkflow(
  client: ComfyClient,
  timing: ComfyTiming,
  context: ToolContext,
  workflow: ComfyWorkflowName,
  uploads: Record<string, Buffer>,
  values: Record<string, WorkflowValue>,
): Promise<Buffer[]> {
  const { signal } = context;
  const saved = typeof context.task.saved?.promptId === "string" ? context.task.saved.promptId : undefined;
  let promptId = saved && (await client.knows(saved, signal)) ? saved : undefined;
  try {
    if (!promptId) {
      const names: Record<string, string> = {};
      for (const [placeholder, bytes] of Object.entries(uploads))
        names[placeholder] = await client.upload(await readableByComfy(bytes), signal);
      promptId = await client.submit(fillWorkflow(comfyWorkflows[workflow], { ...values, ...names }), signal);
      await context.task.save({ promptId });
    }
    const entry = await waitForHistory(client, promptId, context, timing);
    const files = outputFilesOf(entry);
    if (files.length === 0)
      throw new ProviderError("malformed", "the ComfyUI workflow finished without an output file");
    await context.reportProgress(0.95);
    // Without a key the pipeline's SSRF-safe fetch reads /view (COMFYUI_URL's origin is trusted); a
    // proxy that wants the key on every request gets it from our own client.
    return await Promise.all(
      files.map(async (file) =>
        client.authenticated
          ? client.view(file, signal)
          : (await context.fetchResult(client.url(client.viewPath(file)))).data,
      ),
    );
  } catch (error) {
    if (signal.aborted && promptId) {
      await client.cancel(promptId).catch(() => undefined);
      await context.task.save({}).catch(() => undefined);
    }
    throw error;
  }
}

async function waitForHistory(
  client: ComfyClient,
  promptId: string,
  context: ToolContext,
  timing: ComfyTiming,
): Promise<ComfyHistoryEntry> {
  let delay = timing.firstPollMs;
  let failures = 0;
  for (let poll = 1; ; poll++) {
    let entry: ComfyHistoryEntry | undefined;
    try {
      entry = await client.history(promptId, context.signal);
      failures = 0;
    } catch (error) {
      if (!(error instanceof ProviderError && error.failure === "retriable") || ++failures > maxPollFailures)
        throw error;
    }
    if (entry?.status?.status_str === "error") {
      // This prompt is dead: a retry must queue the work again, not poll it.
      await context.task.save({});
      throw new ProviderError("retriable", `ComfyUI failed to run the workflow: ${executionErrorOf(entry)}`);
    }
    // Servers before 2024 write no status: an entry in the history means done.
    if (entry && (entry.status?.completed ?? true)) return entry;
    // ComfyUI gives no percentage over plain HTTP: an estimate that grows with each poll.
    await context.reportProgress(0.05 + 0.85 * (1 - 0.9 ** poll));
    await sleep(delay, context.signal);
    delay = Math.min(timing.maxPollMs, Math.round(delay * 1.5));
  }
}

/**
 * Files saved by output nodes (SaveImage, SaveVideo: type "output"), in node order; previews
 * ("temp") only if there is nothing else.
 */
function outputFilesOf(entry: ComfyHistoryEntry): ComfyImageRef[] {
  const all = Object.keys(entry.outputs ?? {})
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .flatMap((node) => [...(entry.outputs?.[node]?.images ?? []), ...(entry.outputs?.[node]?.gifs ?? [])]);
  const saved = all.filter((image) => image.type === "output");
  return saved.length > 0 ? saved : all;
}

/** status.messages holds ["execution_error", { node_type, exception_message }] (or an interruption). */
function executionErrorOf(entry: ComfyHistoryEntry): string {
  for (const [kind, data] of entry.status?.messages ?? []) {
    if (kind === "execution_error")
      return `${String(data.node_type ?? "node")}: ${String(data.exception_message ?? "error")}`.slice(0, 400);
    if (kind === "execution_interrupted") return "the prompt was interrupted";
  }
  return "unknown error";
}

/** PIL on the server reads PNG, JPEG and WebP everywhere; anything else goes as PNG. */
async function readableByComfy(image: Buffer): Promise<Buffer> {
  const format = (await sharp(image).metadata()).format;
  return format === "png" || format === "jpeg" || format === "webp" ? image : sharp(image).png().toBuffer();
}

/**
 * Inpainting works on multiples of 8 pixels, so ComfyUI may answer a few pixels short: the result is
 * brought back to the size the capability promises.
 */
async function sizedOutput(
  data: Buffer,
  size: { width: number; height: number },
  meta: Record<string, unknown>,
): Promise<ToolOutput> {
  const output = await imageOutput(data, meta);
  if (output.width === size.width && output.height === size.height) return output;
  return imageOutput(await sharp(output.data).resize(size.width, size.height, { fit: "fill" }).toBuffer(), meta);
}

async function sizeOf(image: Buffer): Promise<{ width: number; height: number }> {
  const { width, height, orientation } = await sharp(image).metadata();
  if (!width || !height) throw new Error("the input image has no size");
  return orientation && orientation >= 5 ? { width: height, height: width } : { width, height };
}

function randomSeed(): number {
  return randomInt(0, 2 ** 31);
}
