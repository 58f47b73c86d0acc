import type { ServerResponse } from "node:http";
import sharp from "sharp";
import { sendJson, type RecordedRequest } from "./loopback";
import { sampleMp4 } from "./openai-videos";

/**
 * Veo inside the Gemini fake, as ai.google.dev/gemini-api/docs/video (REST) documents it and
 * @ai-sdk/google's video model calls it:
 * - POST /v1beta/models/{model}:predictLongRunning with { instances: [{ prompt, image: {
 *   bytesBase64Encoded, mimeType } }], parameters: { aspectRatio, durationSeconds, resolution,
 *   personGeneration, sampleCount } } answers a long-running operation { name };
 * - GET /v1beta/models/{model}/operations/{id}: { name, done: false } while it runs, then done with
 *   `response.generateVideoResponse.generatedSamples[].video.uri`, or with `raiMediaFilteredCount`
 *   and `raiMediaFilteredReasons` when the safety filters kept it back, or with `error`;
 * - GET /v1beta/files/{id}:download?alt=media (with the key): a 302 to the stored MP4, served here
 *   too, so the download stays on this fake's own (trusted) origin.
 */
export type VeoScenario = {
  /** Operation GETs answered not done before it is (default 2). */
  polls?: number;
  outcome?: "video" | "rai-filtered" | "failed";
  /** The submission fails instead. */
  submit?: "server-error" | "prompt-blocked";
  /** The next operation GETs answer 503 this many times. */
  pollFailures?: number;
};

export type VeoOperation = {
  id: string;
  model: string;
  prompt: string;
  image: { mimeType: string; data: Buffer };
  parameters: {
    aspectRatio?: string;
    durationSeconds?: number;
    resolution?: string;
    personGeneration?: string;
    sampleCount?: number;
  };
  gets: number;
  polls: number;
  outcome: NonNullable<VeoScenario["outcome"]>;
};

export type VeoFake = {
  scenario: VeoScenario;
  operations: Map<string, VeoOperation>;
  submits(): RecordedRequest[];
  operationReads(): RecordedRequest[];
  downloads(): RecordedRequest[];
  handle(request: RecordedRequest, response: ServerResponse, origin: string): Promise<boolean>;
};

const aspectRatios = new Set(["16:9", "9:16"]);
const durations = new Set([4, 6, 8]);

/** `requests`: the recording of the fake this one lives in. */
export function createVeoFake(requests: () => RecordedRequest[]): VeoFake {
  const operations = new Map<string, VeoOperation>();
  let created = 0;
  const fake: VeoFake = {
    scenario: {},
    operations,
    submits: () => requests().filter((r) => r.method === "POST" && r.path.endsWith(":predictLongRunning")),
    operationReads: () => requests().filter((r) => r.method === "GET" && /\/operations\//.test(r.path)),
    downloads: () => requests().filter((r) => r.method === "GET" && r.path.startsWith("/v1beta/files/")),
    async handle(request, response, origin) {
      const path = request.path.split("?")[0]!;
      const submit = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(path);
      if (submit && request.method === "POST") return answered(await create(submit[1]!, request, response));
      if (request.method !== "GET") return false;
      const operation = /^\/v1beta\/models\/([^/]+)\/operations\/([^/]+)$/.exec(path);
      if (operation) return answered(read(operation[2]!, response, origin));
      const download = /^\/v1beta\/files\/([^/:]+):download$/.exec(path);
      if (download) {
        response.writeHead(302, { location: `${origin}/stored-videos/${download[1]}.mp4` });
        return answered(response.end());
      }
      const stored = /^\/stored-videos\/([^/]+)\.mp4$/.exec(path);
      if (stored) return answered(sendVideo(stored[1]!, response));
      return false;
    },
  };

  async function create(model: string, request: RecordedRequest, response: ServerResponse) {
    if (fake.scenario.submit === "server-error")
      return sendError(response, 500, "INTERNAL", "Internal error encountered.");
    if (fake.scenario.submit === "prompt-blocked") {
      return sendError(
        response,
        400,
        "INVALID_ARGUMENT",
        "The prompt could not be submitted. This prompt contains words that violate Google's Responsible AI practices.",
      );
    }
    const body = JSON.parse(request.body.toString("utf8")) as {
      instances?: { prompt?: string; image?: { bytesBase64Encoded?: string; mimeType?: string } }[];
      parameters?: VeoOperation["parameters"];
    };
    const instance = body.instances?.[0];
    const parameters = body.parameters ?? {};
    if (!instance?.prompt) return sendError(response, 400, "INVALID_ARGUMENT", "instances[0].prompt is required.");
    if (parameters.aspectRatio && !aspectRatios.has(parameters.aspectRatio)) {
      return sendError(
        response,
        400,
        "INVALID_ARGUMENT",
        `Unsupported aspect ratio: ${parameters.aspectRatio}. Supported: 16:9, 9:16.`,
      );
    }
    if (parameters.durationSeconds !== undefined && !durations.has(parameters.durationSeconds)) {
      return sendError(
        response,
        400,
        "INVALID_ARGUMENT",
        `The duration ${parameters.durationSeconds} is not supported. Supported durations: 4, 6, 8.`,
      );
    }
    const data = Buffer.from(instance.image?.bytesBase64Encoded ?? "", "base64");
    try {
      await sharp(data).metadata();
    } catch {
      return sendError(response, 400, "INVALID_ARGUMENT", "Unable to process input image.");
    }
    const id = `fakeop${(++created).toString(36)}`;
    operations.set(id, {
      id,
      model,
      prompt: instance.prompt,
      image: { mimeType: instance.image?.mimeType ?? "", data },
      parameters,
      gets: 0,
      polls: fake.scenario.polls ?? 2,
      outcome: fake.scenario.outcome ?? "video",
    });
    sendJson(response, 200, { name: `models/${model}/operations/${id}` });
  }

  function read(id: string, response: ServerResponse, origin: string) {
    const operation = operations.get(id);
    if (!operation) return sendError(response, 404, "NOT_FOUND", `Operation ${id} not found.`);
    if ((fake.scenario.pollFailures ?? 0) > 0) {
      fake.scenario.pollFailures! -= 1;
      return sendError(response, 503, "UNAVAILABLE", "The service is currently unavailable.");
    }
    operation.gets += 1;
    const name = `models/${operation.model}/operations/${id}`;
    if (operation.gets < operation.polls) return sendJson(response, 200, { name });
    if (operation.outcome === "failed")
      return sendJson(response, 200, {
        name,
        done: true,
        error: { code: 13, message: "Video generation failed due to an internal error." },
      });
    const generateVideoResponse =
      operation.outcome === "rai-filtered"
        ? {
            raiMediaFilteredCount: 1,
            raiMediaFilteredReasons: [
              "The video could not be generated because it may violate Google's Responsible AI practices.",
            ],
          }
        : { generatedSamples: [{ video: { uri: `${origin}/v1beta/files/${id}:download?alt=media` } }] };
    sendJson(response, 200, {
      name,
      done: true,
      response: {
        "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
        generateVideoResponse,
      },
    });
  }

  function sendVideo(id: string, response: ServerResponse) {
    const operation = operations.get(id);
    if (!operation) return sendError(response, 404, "NOT_FOUND", "File not found.");
    const portrait = operation.parameters.aspectRatio === "9:16";
    const mp4 = sampleMp4(portrait ? 720 : 1280, portrait ? 1280 : 720);
    response.writeHead(200, { "content-type": "video/mp4", "content-length": String(mp4.length) });
    response.end(mp4);
  }

  return fake;
}

function answered(_: unknown): true {
  return true;
}

function sendError(response: ServerResponse, code: number, status: string, message: string) {
  sendJson(response, code, { error: { code, message, status } });
}
