import type { ServerResponse } from "node:http";
import sharp from "sharp";
import { sendJson, type RecordedRequest } from "./loopback";

/**
 * OpenAI's Videos API (Sora) inside the OpenAI fake, as platform.openai.com/docs/api-reference/videos
 * and openai-node's src/resources/videos.ts describe it:
 * - POST /v1/videos, multipart: prompt, model, seconds ("4" | "8" | "12"), size ("720x1280" |
 *   "1280x720" | ...), input_reference (an image; OpenAI refuses one whose size differs from `size`);
 * - GET /v1/videos/{id}: the Video { id, object: "video", model, status: queued | in_progress |
 *   completed | failed, progress, created_at, completed_at, expires_at, prompt, seconds, size,
 *   remixed_from_video_id, error: { code, message } | null };
 * - GET /v1/videos/{id}/content: the MP4 (404 until the video is completed).
 * Moderation: a 400 `moderation_blocked` on create, or a job that ends failed with that code.
 */
export type SoraScenario = {
  /** GETs answered queued/in_progress before the video is done (default 2). */
  polls?: number;
  /** How the video ends: completed, failed at the vendor, or stopped by moderation. */
  outcome?: "completed" | "failed" | "moderation";
  /** The create request fails instead. */
  create?: "moderation-blocked" | "server-error";
  /** The next GETs of a video's status answer 500 this many times. */
  pollFailures?: number;
};

export type SoraVideo = {
  id: string;
  model: string;
  prompt: string;
  seconds: string;
  size: string;
  inputReference: Buffer;
  inputReferenceType: string;
  gets: number;
  outcome: NonNullable<SoraScenario["outcome"]>;
  polls: number;
  createdAt: number;
};

export type SoraFake = {
  scenario: SoraScenario;
  videos: Map<string, SoraVideo>;
  creates(): RecordedRequest[];
  statusReads(): RecordedRequest[];
  downloads(): RecordedRequest[];
  /** Answers a videos request; false when the path is not one. */
  handle(request: RecordedRequest, response: ServerResponse): Promise<boolean>;
};

const sizes = new Set(["720x1280", "1280x720", "1024x1792", "1792x1024"]);
const seconds = new Set(["4", "8", "12"]);

/** `requests`: the recording of the fake this one lives in. */
export function createSoraFake(requests: () => RecordedRequest[]): SoraFake {
  const videos = new Map<string, SoraVideo>();
  let created = 0;
  const fake: SoraFake = {
    scenario: {},
    videos,
    creates: () => requests().filter((r) => r.method === "POST" && r.path === "/v1/videos"),
    statusReads: () => requests().filter((r) => r.method === "GET" && /^\/v1\/videos\/[^/]+$/.test(r.path)),
    downloads: () => requests().filter((r) => r.method === "GET" && /^\/v1\/videos\/[^/]+\/content/.test(r.path)),
    async handle(request, response) {
      if (request.method === "POST" && request.path === "/v1/videos") {
        await create(request, response);
        return true;
      }
      const match = /^\/v1\/videos\/([^/?]+)(\/content)?(?:\?.*)?$/.exec(request.path);
      if (!match || request.method !== "GET") return false;
      answerVideo(match[1]!, Boolean(match[2]), response);
      return true;
    },
  };

  function answerVideo(id: string, content: boolean, response: ServerResponse) {
    const video = videos.get(id);
    if (!video) return sendError(response, 404, `Video with id '${id}' not found.`, "invalid_request_error", null);
    if (content) {
      if (statusOf(video).status !== "completed")
        return sendError(response, 404, "Video is not ready yet.", "invalid_request_error", null);
      const [width, height] = video.size.split("x").map(Number) as [number, number];
      const mp4 = sampleMp4(width, height);
      response.writeHead(200, { "content-type": "video/mp4", "content-length": String(mp4.length) });
      return response.end(mp4);
    }
    if ((fake.scenario.pollFailures ?? 0) > 0) {
      fake.scenario.pollFailures! -= 1;
      return sendError(response, 500, "The server had an error while processing your request.", "server_error", null);
    }
    video.gets += 1;
    sendJson(response, 200, statusOf(video));
  }

  async function create(request: RecordedRequest, response: ServerResponse) {
    if (fake.scenario.create === "server-error")
      return sendError(response, 500, "The server had an error while processing your request.", "server_error", null);
    if (fake.scenario.create === "moderation-blocked") {
      return sendError(
        response,
        400,
        "Your request was blocked by our moderation system.",
        "invalid_request_error",
        "moderation_blocked",
      );
    }
    const form = await new Request("http://fake/", {
      method: "POST",
      headers: { "content-type": String(request.headers["content-type"]) },
      body: new Uint8Array(request.body),
    }).formData();
    const size = String(form.get("size") ?? "720x1280");
    const secs = String(form.get("seconds") ?? "4");
    if (!sizes.has(size))
      return sendError(
        response,
        400,
        `Invalid value: '${size}'. Supported values are: '720x1280', '1280x720', '1024x1792', and '1792x1024'.`,
        "invalid_request_error",
        "invalid_value",
      );
    if (!seconds.has(secs))
      return sendError(
        response,
        400,
        `Invalid value: '${secs}'. Supported values are: '4', '8', and '12'.`,
        "invalid_request_error",
        "invalid_value",
      );
    const reference = form.get("input_reference") as Blob | null;
    if (!reference)
      return sendError(response, 400, "input_reference is required for this test fake.", "invalid_request_error", null);
    const bytes = Buffer.from(await reference.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    if (`${meta.width}x${meta.height}` !== size) {
      return sendError(
        response,
        400,
        "Inpaint image must match the requested width and height",
        "invalid_request_error",
        null,
      );
    }
    const video: SoraVideo = {
      id: `video_${(++created).toString(16).padStart(8, "0")}fake`,
      model: String(form.get("model") ?? "sora-2"),
      prompt: String(form.get("prompt")),
      seconds: secs,
      size,
      inputReference: bytes,
      inputReferenceType: reference.type,
      gets: 0,
      outcome: fake.scenario.outcome ?? "completed",
      polls: fake.scenario.polls ?? 2,
      createdAt: Math.floor(Date.now() / 1000),
    };
    videos.set(video.id, video);
    sendJson(response, 200, statusOf(video));
  }

  return fake;
}

/** The Video object as OpenAI answers it at this point of the video's life. */
function statusOf(video: SoraVideo) {
  const done = video.gets >= video.polls;
  const status = !done
    ? video.gets === 0
      ? "queued"
      : "in_progress"
    : video.outcome === "completed"
      ? "completed"
      : "failed";
  const error =
    status !== "failed"
      ? null
      : video.outcome === "moderation"
        ? { code: "moderation_blocked", message: "Your request was blocked by our moderation system." }
        : { code: "video_generation_failed", message: "Video generation failed. Please try again." };
  return {
    id: video.id,
    object: "video",
    model: video.model,
    status,
    progress: done ? 100 : Math.round((video.gets / video.polls) * 100),
    created_at: video.createdAt,
    completed_at: done ? video.createdAt + 60 : null,
    expires_at: done ? video.createdAt + 3600 : null,
    prompt: video.prompt,
    seconds: video.seconds,
    size: video.size,
    remixed_from_video_id: null,
    error,
  };
}

function sendError(response: ServerResponse, status: number, message: string, type: string, code: string | null) {
  sendJson(response, status, { error: { message, type, param: null, code } });
}

/**
 * The smallest MP4 that says its frame size: an ftyp box, a moov with one video track whose tkhd
 * carries width and height (16.16 fixed point), and an empty mdat.
 */
export function sampleMp4(width: number, height: number): Buffer {
  const box = (type: string, ...content: Buffer[]) => {
    const body = Buffer.concat(content);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(8 + body.length);
    header.write(type, 4, "latin1");
    return Buffer.concat([header, body]);
  };
  const tkhd = Buffer.alloc(84); // version 0: flags, times, track id, duration, layer, volume, matrix, size
  tkhd.writeUInt32BE(0x00000003, 0); // enabled, in movie
  tkhd.writeUInt32BE(1, 12); // track id
  tkhd.writeUInt32BE(0x00010000, 40); // the identity matrix starts with 1.0
  tkhd.writeUInt32BE(0x00010000, 56);
  tkhd.writeUInt32BE(0x40000000, 72);
  tkhd.writeUInt32BE(width * 0x10000, 76);
  tkhd.writeUInt32BE(height * 0x10000, 80);
  const ftyp = box("ftyp", Buffer.from("isom"), Buffer.from([0, 0, 2, 0]), Buffer.from("isommp42"));
  return Buffer.concat([ftyp, box("moov", box("trak", box("tkhd", tkhd))), box("mdat")]);
}
