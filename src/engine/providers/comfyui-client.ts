import { createHash, randomUUID } from "node:crypto";
import { readLimited } from "@/engine/providers/safe-fetch";
import type { ComfyWorkflow } from "./comfyui-workflow";
import { ProviderError, providerErrorFromStatus, toProviderError } from "./errors";
import { requireSetting } from "./provider-config";
import type { ProviderConfig } from "./types";

/** One file of a history entry's outputs (an image, or a video of SaveVideo), read with /view. */
export type ComfyImageRef = { filename: string; subfolder: string; type: string };

/**
 * GET /history/{prompt_id}: ComfyUI's record of a finished (or failed) prompt. Each output node's
 * ui dict: SaveImage writes { images }, SaveVideo and SaveWEBM { images, animated: [true] }
 * (comfy_api ui.PreviewVideo); VideoHelperSuite's Video Combine, a common custom node, { gifs }.
 */
export type ComfyHistoryEntry = {
  outputs?: Record<string, { images?: ComfyImageRef[]; animated?: boolean[]; gifs?: ComfyImageRef[] }>;
  status?: { status_str?: "success" | "error"; completed?: boolean; messages?: [string, Record<string, unknown>][] };
};

const maxViewBytes = 100 * 1024 * 1024;

/**
 * ComfyUI's HTTP API (server.py): /upload/image, /prompt, /history/{id}, /queue, /interrupt,
 * /view, /system_stats. The API key is for a ComfyUI behind an authenticating proxy; ComfyUI itself
 * has no authentication.
 */
export class ComfyClient {
  readonly clientId = randomUUID();
  private readonly base: string;

  constructor(private readonly config: ProviderConfig) {
    const url = requireSetting(config, "url", "COMFYUI_URL");
    this.base = url.endsWith("/") ? url : `${url}/`;
  }

  url(path: string, query?: Record<string, string>): string {
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    return url.toString();
  }

  get authenticated(): boolean {
    return Boolean(this.config.apiKey);
  }

  private async call(path: string, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.config.apiKey) headers.set("authorization", `Bearer ${this.config.apiKey}`);
    try {
      return await fetch(this.url(path), { ...init, headers });
    } catch (error) {
      if (init.signal.aborted) throw error;
      throw toProviderError(error);
    }
  }

  private async json<T>(path: string, init: RequestInit & { signal: AbortSignal }): Promise<T> {
    const response = await this.call(path, init);
    if (!response.ok) throw await statusError(response, path);
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw new ProviderError("malformed", `ComfyUI ${path} did not answer JSON`, { cause: error });
    }
  }

  /** Uploads an input image; named by its content so a retry overwrites instead of piling up copies. */
  async upload(image: Buffer, signal: AbortSignal): Promise<string> {
    const name = `pixelwerk-${createHash("sha256").update(image).digest("hex").slice(0, 32)}.${extensionOf(image)}`;
    const form = new FormData();
    form.set("image", new Blob([new Uint8Array(image)]), name);
    form.set("type", "input");
    form.set("overwrite", "true");
    const answer = await this.json<{ name?: string; subfolder?: string }>("upload/image", {
      method: "POST",
      body: form,
      signal,
    });
    if (!answer.name) throw new ProviderError("malformed", "ComfyUI's upload answer has no file name");
    return answer.subfolder ? `${answer.subfolder}/${answer.name}` : answer.name;
  }

  /** POST /prompt; an invalid workflow (a missing model or node) answers 400 with node_errors. */
  async submit(workflow: ComfyWorkflow, signal: AbortSignal): Promise<string> {
    const response = await this.call("prompt", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: workflow, client_id: this.clientId }),
      signal,
    });
    if (response.status === 400) {
      const body = (await response.json().catch(() => ({}))) as { error?: unknown; node_errors?: unknown };
      throw new ProviderError("misconfigured", `ComfyUI refused the workflow: ${describeValidationError(body)}`, {
        status: 400,
      });
    }
    if (!response.ok) throw await statusError(response, "prompt");
    const answer = (await response.json().catch(() => ({}))) as { prompt_id?: unknown };
    if (typeof answer.prompt_id !== "string")
      throw new ProviderError("malformed", "ComfyUI's /prompt answer has no prompt_id");
    return answer.prompt_id;
  }

  async history(promptId: string, signal: AbortSignal): Promise<ComfyHistoryEntry | undefined> {
    const history = await this.json<Record<string, ComfyHistoryEntry>>(`history/${encodeURIComponent(promptId)}`, {
      signal,
    });
    return history[promptId];
  }

  /** Where the prompt waits: queue entries are [number, prompt_id, prompt, extra_data, outputs]. */
  async queuePosition(promptId: string, signal: AbortSignal): Promise<"running" | "pending" | undefined> {
    const queue = await this.json<{ queue_running?: unknown[][]; queue_pending?: unknown[][] }>("queue", { signal });
    if (queue.queue_running?.some((item) => item[1] === promptId)) return "running";
    if (queue.queue_pending?.some((item) => item[1] === promptId)) return "pending";
    return undefined;
  }

  /** Whether ComfyUI still knows a prompt (it forgets them on restart). History twice: it may finish in between. */
  async knows(promptId: string, signal: AbortSignal): Promise<boolean> {
    if (await this.history(promptId, signal)) return true;
    if (await this.queuePosition(promptId, signal)) return true;
    return Boolean(await this.history(promptId, signal));
  }

  /**
   * Stops our prompt only: /interrupt stops whatever runs (older servers ignore its prompt_id), so
   * it is sent only while ours is the one running; a waiting prompt is deleted from the queue.
   */
  async cancel(promptId: string): Promise<void> {
    const signal = AbortSignal.timeout(5000);
    const position = await this.queuePosition(promptId, signal);
    const body = (value: unknown) => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(value),
      signal,
    });
    if (position === "running") await this.call("interrupt", body({ prompt_id: promptId }));
    if (position === "pending") await this.call("queue", body({ delete: [promptId] }));
  }

  /** GET /view of an output, for a ComfyUI behind a proxy that wants the key on every request. */
  async view(image: ComfyImageRef, signal: AbortSignal): Promise<Buffer> {
    const response = await this.call(this.viewPath(image), { signal });
    if (!response.ok) throw await statusError(response, "view");
    try {
      return await readLimited(response, maxViewBytes);
    } catch (error) {
      if (error instanceof ProviderError || signal.aborted) throw error;
      throw toProviderError(error); // the connection broke mid-download
    }
  }

  viewPath(image: ComfyImageRef): string {
    const query = new URLSearchParams({ filename: image.filename, subfolder: image.subfolder ?? "", type: image.type });
    return `view?${query.toString()}`;
  }

  async systemStats(signal: AbortSignal): Promise<unknown> {
    return this.json("system_stats", { signal });
  }
}

async function statusError(response: Response, path: string): Promise<ProviderError> {
  const text = (await response.text().catch(() => "")).slice(0, 300);
  return providerErrorFromStatus(
    response.status,
    `ComfyUI /${path.split("?")[0]} answered ${response.status} ${text}`.trim(),
    response.headers.get("retry-after"),
  );
}

/** ComfyUI's 400: { error: { message, details }, node_errors: { id: { class_type, errors: [{ message, details }] } } }. */
function describeValidationError(body: { error?: unknown; node_errors?: unknown }): string {
  const error = body.error as { message?: string; details?: string } | string | undefined;
  const parts = [typeof error === "string" ? error : [error?.message, error?.details].filter(Boolean).join(": ")];
  const nodes = (body.node_errors ?? {}) as Record<
    string,
    { class_type?: string; errors?: { message?: string; details?: string }[] }
  >;
  for (const [id, node] of Object.entries(nodes)) {
    for (const nodeError of node.errors ?? []) {
      parts.push(
        `node ${id} (${node.class_type ?? "?"}): ${[nodeError.message, nodeError.details].filter(Boolean).join(": ")}`,
      );
    }
  }
  return parts.filter(Boolean).join("; ").slice(0, 500) || "invalid workflow";
}

/** ComfyUI opens inputs with PIL whatever their name; a matching extension keeps its folder readable. */
function extensionOf(image: Buffer): string {
  if (image[0] === 0xff && image[1] === 0xd8) return "jpg";
  if (image.subarray(0, 4).toString("latin1") === "RIFF" && image.subarray(8, 12).toString("latin1") === "WEBP")
    return "webp";
  return "png";
}
