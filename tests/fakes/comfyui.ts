import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { tinyMp4 } from "./comfyui-media";
import { sendJson, startLoopback, type Loopback, type RecordedRequest } from "./loopback";

/**
 * A ComfyUI server speaking the HTTP API of ComfyUI's server.py (comfyanonymous/ComfyUI):
 * - POST /upload/image (multipart: image, type, overwrite) → { name, subfolder, type }
 * - POST /prompt { prompt, client_id } → { prompt_id, number, node_errors }, or 400
 *   { error: { type, message, details, extra_info }, node_errors: { id: { errors, dependent_outputs, class_type } } }
 * - GET /history/{id} → {} until the prompt is done, then { id: { prompt, outputs, status: { status_str,
 *   completed, messages } } } (execution.py's PromptQueue.task_done)
 * - GET /queue → { queue_running: [[number, id, prompt, extra_data, outputs]], queue_pending: [] }
 * - POST /interrupt, POST /queue { delete }, GET /view?filename&subfolder&type, GET /system_stats
 * Instead of a GPU it "runs" the few node types of the bundled workflows on the image sizes, so tests
 * see real sizes, real batch counts and real file round trips. SaveVideo answers as comfy_extras/
 * nodes_video.py does: one .mp4 in the output folder, listed as { images: [file], animated: [true] }
 * (comfy_api ui.PreviewVideo), its frame size and frame count those the workflow asked for.
 */

type Node = { class_type: string; inputs: Record<string, unknown> };
type Workflow = Record<string, Node>;
type Prompt = {
  id: string;
  number: number;
  workflow: Workflow;
  clientId: unknown;
  polls: number;
  outputs?: Record<string, unknown>;
};

export type ComfyUiFakeOptions = {
  /** History polls answered empty before the prompt is done. */
  pollsUntilDone?: number;
  /** When set, every request needs `Authorization: Bearer <apiKey>` (a ComfyUI behind a proxy). */
  apiKey?: string;
  /** Model files the server has; a workflow naming another answers 400 like ComfyUI's validation. */
  models?: string[];
  /** The workflow fails while running: status_str "error" with this exception message. */
  executionError?: string;
  /** The next this many GET /history requests answer 500 (a proxy hiccup). */
  historyFailures?: number;
};

export type ComfyUiFake = Loopback & {
  prompts: Prompt[];
  uploads: Map<string, Buffer>;
  interrupts: unknown[];
  deleted: unknown[];
  options: ComfyUiFakeOptions;
  /** Forgets everything, as a restarted server does. */
  restart(): void;
  count(method: string, path: string): number;
};

/** The model files of the bundled workflows (docs/comfyui-provider.md), as one flat list. */
export const comfyStandardModels = [
  "flux1-schnell-fp8.safetensors",
  "512-inpainting-ema.safetensors",
  "RealESRGAN_x4plus.pth",
  "flux1-dev-kontext_fp8_scaled.safetensors",
  "clip_l.safetensors",
  "t5xxl_fp8_e4m3fn_scaled.safetensors",
  "ae.safetensors",
  "wan2.2_ti2v_5B_fp16.safetensors",
  "umt5_xxl_fp8_e4m3fn_scaled.safetensors",
  "wan2.2_vae.safetensors",
];
/** The loaders' file inputs, each checked against the files the server has. */
const modelInputs: Record<string, string[]> = {
  CheckpointLoaderSimple: ["ckpt_name"],
  UpscaleModelLoader: ["model_name"],
  UNETLoader: ["unet_name"],
  VAELoader: ["vae_name"],
  CLIPLoader: ["clip_name"],
  DualCLIPLoader: ["clip_name1", "clip_name2"],
};
const numericInputs = new Set([
  "seed",
  "width",
  "height",
  "batch_size",
  "amount",
  "left",
  "top",
  "right",
  "bottom",
  "scale_by",
  "length",
  "fps",
]);

export async function startComfyUiFake(options: ComfyUiFakeOptions = {}): Promise<ComfyUiFake> {
  const prompts = new Map<string, Prompt>();
  const uploads = new Map<string, Buffer>();
  const files = new Map<string, Buffer>();
  const interrupts: unknown[] = [];
  const deleted: unknown[] = [];
  let number = 0;

  const loopback = await startLoopback(async (request, response) => {
    const url = new URL(request.path, "http://comfy");
    const path = url.pathname;
    if (fake.options.apiKey && request.headers.authorization !== `Bearer ${fake.options.apiKey}`) {
      return sendJson(response, 401, { error: "unauthorized" });
    }
    if (request.method === "GET" && path === "/system_stats") {
      return sendJson(response, 200, {
        system: {
          os: "posix",
          comfyui_version: "0.3.40",
          python_version: "3.12.3",
          embedded_python: false,
          argv: ["main.py"],
        },
        devices: [
          {
            name: "cuda:0 NVIDIA GeForce RTX 4090",
            type: "cuda",
            index: 0,
            vram_total: 25393692672,
            vram_free: 24000000000,
          },
        ],
      });
    }
    if (request.method === "POST" && path === "/upload/image") {
      const form = await formOf(request);
      const image = form.get("image");
      if (!(image instanceof File) || !image.name) return sendJson(response, 400, {});
      const name = image.name;
      uploads.set(name, Buffer.from(await image.arrayBuffer()));
      return sendJson(response, 200, {
        name,
        subfolder: String(form.get("subfolder") ?? ""),
        type: String(form.get("type") ?? "input"),
      });
    }
    if (request.method === "POST" && path === "/prompt") {
      const body = JSON.parse(request.body.toString()) as { prompt?: Workflow; client_id?: unknown };
      if (!body.prompt) return sendJson(response, 400, { error: "no prompt", node_errors: [] });
      const nodeErrors = validate(body.prompt);
      if (Object.keys(nodeErrors).length > 0) {
        return sendJson(response, 400, {
          error: {
            type: "prompt_outputs_failed_validation",
            message: "Prompt outputs failed validation",
            details: "",
            extra_info: {},
          },
          node_errors: nodeErrors,
        });
      }
      const prompt: Prompt = {
        id: randomUUID(),
        number: number++,
        workflow: body.prompt,
        clientId: body.client_id,
        polls: 0,
      };
      prompts.set(prompt.id, prompt);
      return sendJson(response, 200, { prompt_id: prompt.id, number: prompt.number, node_errors: {} });
    }
    if (request.method === "GET" && path.startsWith("/history/")) {
      if (fake.options.historyFailures) {
        fake.options.historyFailures--;
        return sendJson(response, 500, { error: "502 Bad Gateway" });
      }
      const prompt = prompts.get(decodeURIComponent(path.slice("/history/".length)));
      if (!prompt) return sendJson(response, 200, {});
      prompt.polls++;
      if (prompt.polls <= (fake.options.pollsUntilDone ?? 2)) return sendJson(response, 200, {});
      return sendJson(response, 200, { [prompt.id]: await historyEntry(prompt) });
    }
    if (request.method === "GET" && path === "/queue") {
      const running = [...prompts.values()].filter((p) => p.polls <= (fake.options.pollsUntilDone ?? 2));
      return sendJson(response, 200, {
        queue_running: running.slice(0, 1).map((p) => [p.number, p.id, p.workflow, { client_id: p.clientId }, ["9"]]),
        queue_pending: running.slice(1).map((p) => [p.number, p.id, p.workflow, { client_id: p.clientId }, ["9"]]),
      });
    }
    if (request.method === "POST" && path === "/interrupt") {
      interrupts.push(request.body.length ? JSON.parse(request.body.toString()) : {});
      response.writeHead(200).end();
      return;
    }
    if (request.method === "POST" && path === "/queue") {
      const body = JSON.parse(request.body.toString()) as { delete?: string[] };
      for (const id of body.delete ?? []) {
        deleted.push(id);
        prompts.delete(id);
      }
      response.writeHead(200).end();
      return;
    }
    if (request.method === "GET" && path === "/view") {
      const key = `${url.searchParams.get("type") ?? "output"}/${url.searchParams.get("subfolder") ?? ""}/${url.searchParams.get("filename")}`;
      const file = files.get(key);
      if (!file) {
        response.writeHead(404).end();
        return;
      }
      const type = key.endsWith(".mp4") ? "video/mp4" : "image/png";
      response.writeHead(200, {
        "content-type": type,
        "content-disposition": `filename="${url.searchParams.get("filename")}"`,
      });
      response.end(file);
      return;
    }
    response.writeHead(404).end();
  });

  /** The checks of execution.validate_prompt that the bundled workflows can hit. */
  function validate(workflow: Workflow): Record<string, unknown> {
    const errors: Record<string, unknown> = {};
    const fail = (id: string, node: Node, type: string, message: string, details: string) => {
      errors[id] = {
        errors: [{ type, message, details, extra_info: {} }],
        dependent_outputs: [],
        class_type: node.class_type,
      };
    };
    for (const [id, node] of Object.entries(workflow)) {
      const models = fake.options.models ?? comfyStandardModels;
      for (const modelInput of modelInputs[node.class_type] ?? []) {
        if (models.includes(String(node.inputs[modelInput]))) continue;
        fail(
          id,
          node,
          "value_not_in_list",
          "Value not in list",
          `${modelInput}: '${String(node.inputs[modelInput])}' not in ${JSON.stringify(models)}`,
        );
      }
      if (
        (node.class_type === "LoadImage" || node.class_type === "LoadImageMask") &&
        !uploads.has(String(node.inputs.image))
      ) {
        fail(
          id,
          node,
          "custom_validation_failed",
          "Custom validation failed for node",
          `image - Invalid image file: ${String(node.inputs.image)}`,
        );
      }
      for (const [name, value] of Object.entries(node.inputs)) {
        if (numericInputs.has(name) && typeof value !== "number") {
          fail(
            id,
            node,
            "invalid_input_type",
            "Failed to convert an input value to a INT value",
            `${name}, ${String(value)}`,
          );
        }
        if (Array.isArray(value) && !workflow[String(value[0])]) {
          fail(id, node, "bad_linked_input", "Bad linked input", `${name}: node ${String(value[0])} does not exist`);
        }
      }
    }
    return errors;
  }

  /** "Runs" the workflow: each SaveImage gets images of the size its inputs would have. */
  async function historyEntry(prompt: Prompt) {
    const messages: [string, Record<string, unknown>][] = [
      ["execution_start", { prompt_id: prompt.id, timestamp: Date.now() }],
    ];
    if (fake.options.executionError) {
      messages.push([
        "execution_error",
        {
          prompt_id: prompt.id,
          node_id: "3",
          node_type: "KSampler",
          exception_message: fake.options.executionError,
          exception_type: "torch.OutOfMemoryError",
        },
      ]);
      return {
        prompt: [prompt.number, prompt.id, prompt.workflow, {}, []],
        outputs: {},
        status: { status_str: "error", completed: false, messages },
      };
    }
    if (!prompt.outputs) {
      const outputs: Record<string, unknown> = {};
      for (const [id, node] of Object.entries(prompt.workflow)) {
        if (node.class_type === "SaveImage") {
          const images = await render(prompt.workflow, node.inputs.images as [string, number]);
          outputs[id] = { images: images.map((data) => save(String(node.inputs.filename_prefix), "png", data)) };
        }
        if (node.class_type === "SaveVideo") {
          // CreateVideo holds the frame rate; its frames come from the decoded latent.
          const create = prompt.workflow[String((node.inputs.video as [string, number])[0])]!;
          const frames = sizeOf(prompt.workflow, String((create.inputs.images as [string, number])[0]));
          const video = tinyMp4({
            width: frames.width,
            height: frames.height,
            frames: frames.frames ?? 1,
            fps: Number(create.inputs.fps),
          });
          outputs[id] = { images: [save(String(node.inputs.filename_prefix), "mp4", video)], animated: [true] };
        }
      }
      prompt.outputs = outputs;
    }
    messages.push(["execution_success", { prompt_id: prompt.id, timestamp: Date.now() }]);
    return {
      prompt: [prompt.number, prompt.id, prompt.workflow, {}, []],
      outputs: prompt.outputs,
      status: { status_str: "success", completed: true, messages },
    };
  }

  /** Writes an output file the way folder_paths.get_save_image_path names it: prefix_00001_.ext. */
  function save(prefix: string, ext: string, data: Buffer) {
    const subfolder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const filename = `${prefix.slice(prefix.lastIndexOf("/") + 1)}_${String(files.size + 1).padStart(5, "0")}_.${ext}`;
    files.set(`output/${subfolder}/${filename}`, data);
    return { filename, subfolder, type: "output" };
  }

  /** Follows the IMAGE link back to its source, applying each node's effect on the size. */
  async function render(workflow: Workflow, link: [string, number]): Promise<Buffer[]> {
    const sizes = sizeOf(workflow, link[0]);
    return Promise.all(
      Array.from({ length: sizes.count }, (_, index) =>
        sharp({
          create: {
            width: sizes.width,
            height: sizes.height,
            channels: 3,
            background: { r: 40 * index, g: 120, b: 200 },
          },
        })
          .png()
          .toBuffer(),
      ),
    );
  }

  function sizeOf(workflow: Workflow, id: string): { width: number; height: number; count: number; frames?: number } {
    const node = workflow[id]!;
    const from = (input: string) => sizeOf(workflow, String((node.inputs[input] as [string, number])[0]));
    const n = (input: string) => Number(node.inputs[input]);
    switch (node.class_type) {
      case "EmptySD3LatentImage":
      case "EmptyLatentImage":
        return { width: n("width"), height: n("height"), count: n("batch_size") };
      case "LoadImage":
        return { ...imageSize(uploads.get(String(node.inputs.image))!), count: 1 };
      case "VAEEncodeForInpaint": {
        // ComfyUI crops pixels to multiples of 8 before encoding.
        const s = from("pixels");
        return { width: s.width - (s.width % 8), height: s.height - (s.height % 8), count: s.count };
      }
      case "ImagePadForOutpaint": {
        const s = from("image");
        return { width: s.width + n("left") + n("right"), height: s.height + n("top") + n("bottom"), count: s.count };
      }
      case "ImageUpscaleWithModel": {
        const s = from("image");
        return { width: s.width * 4, height: s.height * 4, count: s.count };
      }
      case "ImageScaleBy": {
        const s = from("image");
        return {
          width: Math.round(s.width * n("scale_by")),
          height: Math.round(s.height * n("scale_by")),
          count: s.count,
        };
      }
      case "FluxKontextImageScale":
        return { width: 1024, height: 1024, count: from("image").count };
      case "Wan22ImageToVideoLatent":
        return { width: n("width"), height: n("height"), count: n("batch_size"), frames: n("length") };
      case "RepeatLatentBatch":
        return { ...from("samples"), count: n("amount") };
      case "KSampler":
        return from("latent_image");
      case "VAEDecode":
        return from("samples");
      case "VAEEncode":
        return from("pixels");
      default:
        throw new Error(`the fake does not run ${node.class_type}`);
    }
  }

  const fake: ComfyUiFake = {
    ...loopback,
    get prompts() {
      return [...prompts.values()];
    },
    uploads,
    interrupts,
    deleted,
    options,
    restart() {
      prompts.clear();
      uploads.clear();
      files.clear();
    },
    count: (method, path) =>
      loopback.requests.filter((r) => r.method === method && r.path.split("?")[0] === path).length,
  };
  return fake;
}

async function formOf(request: RecordedRequest): Promise<FormData> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(key, value);
  return new Request("http://comfy/upload/image", {
    method: "POST",
    headers,
    body: new Uint8Array(request.body),
  }).formData();
}

/** Image size from the header (PNG IHDR, JPEG SOF), as PIL reads it. */
function imageSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.subarray(1, 4).toString("latin1") === "PNG")
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let offset = 2; offset < bytes.length;) {
      const marker = bytes[offset + 1]!;
      const length = bytes.readUInt16BE(offset + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
      }
      offset += 2 + length;
    }
  }
  throw new Error("the fake reads PNG and JPEG inputs only");
}
