import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import sharp from "sharp";
import { sendJson, startLoopback, type Loopback, type RecordedRequest } from "./loopback";

/**
 * A fake of Replicate's HTTP API (https://replicate.com/docs/reference/http), on loopback:
 * POST /v1/models/{owner}/{name}/predictions (official models) and POST /v1/predictions with a
 * `version` (community models) answer 201 with a prediction; GET /v1/predictions/{id} moves it from
 * starting/processing to succeeded/failed; POST /v1/predictions/{id}/cancel cancels it;
 * GET /v1/account answers the account. "Prefer: wait" (sync mode, used by the AI SDK) returns the
 * finished prediction at once when the scenario needs no polls, else the running one, as Replicate
 * does when the wait ends first. Error bodies are Replicate's { title, detail, status }.
 * Outputs are URLs of this server's /files/..., serving real PNG and MP4 bytes.
 */

export type ReplicateScenario = {
  /** GETs answering "processing" before the prediction ends. */
  polls?: number;
  outcome?: "succeeded" | "failed" | "nsfw";
  /** The error of a failed prediction. */
  error?: string;
  /** POST create answers this HTTP status with an error body instead of a prediction. */
  createStatus?: number;
  /** The first `times` GETs of each prediction answer this instead: an HTTP status, or "html" (200 with a web page). */
  pollFailure?: { times: number; answer: number | "html" };
  /** The output: a file of this fake, a URL anywhere, or none at all. */
  output?: "png" | "mp4" | "html" | "huge" | "missing" | { url: string };
  predictTime?: number;
};

export type FakePrediction = {
  id: string;
  model: string;
  input: Record<string, unknown>;
  scenario: ReplicateScenario;
  gets: number;
  canceled: boolean;
};

export type ReplicateFake = Loopback & {
  token: string;
  /** Applies to predictions created from now on. */
  scenario: ReplicateScenario;
  predictions: Map<string, FakePrediction>;
  /** Size of /files/huge.png. */
  hugeBytes: number;
  creates(): RecordedRequest[];
  gets(id?: string): RecordedRequest[];
  cancels(): RecordedRequest[];
};

/** A small real PNG and the smallest MP4 a sniffer accepts (an `ftyp` box and an empty `mdat`). */
export async function samplePng(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 110, b: 200 } } })
    .png()
    .toBuffer();
}

export function sampleMp4(): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 24]),
    Buffer.from("ftypisom"),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from("isommp42"),
  ]);
  return Buffer.concat([ftyp, Buffer.from([0, 0, 0, 8]), Buffer.from("mdat")]);
}

export function sendFile(
  response: ServerResponse,
  name: string,
  files: { png: Buffer; mp4: Buffer },
  hugeBytes: number,
) {
  if (name === "page.html") {
    response.writeHead(200, { "content-type": "text/html" });
    response.end("<!doctype html><html><body>Bucket listing</body></html>");
    return;
  }
  if (name === "huge.png") {
    response.writeHead(200, { "content-type": "image/png", "content-length": String(hugeBytes) });
    response.end(Buffer.concat([files.png, Buffer.alloc(Math.max(0, hugeBytes - files.png.length))]));
    return;
  }
  const body = name.endsWith(".mp4") ? files.mp4 : name.endsWith(".png") ? files.png : undefined;
  if (!body) return sendJson(response, 404, { detail: "Not found." });
  response.writeHead(200, {
    "content-type": name.endsWith(".mp4") ? "video/mp4" : "image/png",
    "content-length": String(body.length),
  });
  response.end(body);
}

const problems: Record<number, { title: string; detail: string }> = {
  401: { title: "Unauthenticated", detail: "You did not pass a valid authentication token" },
  402: { title: "Insufficient credit", detail: "You have insufficient credit to run this model." },
  422: { title: "Input validation failed", detail: "- input.prompt: String should have at least 1 character" },
  429: { title: "Request was throttled.", detail: "Request was throttled. Your rate limit resets in ~1s." },
};

function problem(response: ServerResponse, status: number) {
  const known = problems[status] ?? { title: "Internal server error", detail: "Something went wrong on our end." };
  sendJson(response, status, { ...known, status }, status === 429 ? { "retry-after": "1" } : {});
}

export async function startReplicateFake(token = "r8_test_token"): Promise<ReplicateFake> {
  const files = { png: await samplePng(), mp4: sampleMp4() };
  const predictions = new Map<string, FakePrediction>();

  const json = (prediction: FakePrediction) => predictionJson(fake.url, prediction);

  const loopback = await startLoopback(async (request, response) => {
    const path = request.path.split("?")[0]!;
    const file = /^\/files\/(.+)$/.exec(path);
    if (file && request.method === "GET") return sendFile(response, file[1]!, files, fake.hugeBytes);
    if (request.headers.authorization !== `Bearer ${token}`) return problem(response, 401);

    const create = /^\/v1\/(?:models\/([^/]+\/[^/]+)\/)?predictions$/.exec(path);
    if (create && request.method === "POST") {
      const scenario = { ...fake.scenario };
      if (scenario.createStatus) return problem(response, scenario.createStatus);
      const body = JSON.parse(request.body.toString("utf8")) as { input?: Record<string, unknown>; version?: string };
      if (!body.input || (!create[1] && !body.version)) return problem(response, 422);
      const prediction: FakePrediction = {
        id: randomBytes(13).toString("hex").slice(0, 26),
        model: create[1] ?? body.version!,
        input: body.input,
        scenario,
        gets: 0,
        canceled: false,
      };
      predictions.set(prediction.id, prediction);
      // Sync mode: done within the wait when no polls are needed, else the running prediction.
      const wait = /\bwait\b/.test(String(request.headers.prefer ?? ""));
      if (wait && !(scenario.polls ?? 0)) prediction.gets = 1;
      return sendJson(response, 201, json(prediction));
    }

    const one = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(path);
    const prediction = one ? predictions.get(one[1]!) : undefined;
    if (one && !prediction)
      return sendJson(response, 404, { title: "Not found", detail: "Prediction not found", status: 404 });
    if (prediction && one?.[2] && request.method === "POST") {
      if (!finished(prediction)) prediction.canceled = true;
      return sendJson(response, 200, json(prediction));
    }
    if (prediction && request.method === "GET") {
      prediction.gets += 1;
      const failure = prediction.scenario.pollFailure;
      if (failure && prediction.gets <= failure.times) {
        if (failure.answer !== "html") return problem(response, failure.answer);
        response.writeHead(200, { "content-type": "text/html" });
        response.end("<html><body>502 Bad Gateway</body></html>");
        return;
      }
      return sendJson(response, 200, json(prediction));
    }
    if (path === "/v1/account" && request.method === "GET") {
      return sendJson(response, 200, { type: "user", username: "pixelwerk", name: "Pixelwerk Test", github_url: null });
    }
    sendJson(response, 404, { title: "Not found", detail: `no route for ${request.method} ${path}`, status: 404 });
  });

  const fake: ReplicateFake = Object.assign(loopback, {
    token,
    scenario: {} as ReplicateScenario,
    predictions,
    hugeBytes: 2 * 1024 * 1024,
    creates: () => loopback.requests.filter((r) => r.method === "POST" && /\/predictions$/.test(r.path)),
    gets: (id?: string) =>
      loopback.requests.filter(
        (r) => r.method === "GET" && (id ? r.path === `/v1/predictions/${id}` : r.path.startsWith("/v1/predictions/")),
      ),
    cancels: () => loopback.requests.filter((r) => r.method === "POST" && r.path.endsWith("/cancel")),
  });
  return fake;
}

function finished(prediction: FakePrediction): boolean {
  return prediction.canceled || prediction.gets > (prediction.scenario.polls ?? 0);
}

/** Replicate's prediction object, in the state the number of GETs so far has brought it to. */
function predictionJson(base: string, prediction: FakePrediction) {
  const { scenario } = prediction;
  const polls = scenario.polls ?? 0;
  const done = finished(prediction);
  const outcome = scenario.outcome ?? "succeeded";
  const status = prediction.canceled
    ? "canceled"
    : !done
      ? prediction.gets === 0
        ? "starting"
        : "processing"
      : outcome === "succeeded"
        ? "succeeded"
        : "failed";
  const step = Math.min(prediction.gets, polls + 1);
  const logs =
    prediction.gets === 0
      ? ""
      : `Using seed: 42\n${Math.round((step / (polls + 1)) * 100)}%|█████     | ${step}/${polls + 1}`;
  const error =
    status !== "failed"
      ? null
      : outcome === "nsfw"
        ? "NSFW content detected. Try running it again, or try a different prompt."
        : (scenario.error ?? "Prediction failed.");
  return {
    id: prediction.id,
    model: prediction.model,
    version: prediction.model.includes("/") ? "hidden" : prediction.model,
    input: prediction.input,
    logs,
    output: status === "succeeded" ? outputOf(base, prediction) : null,
    data_removed: false,
    error,
    status,
    created_at: new Date().toISOString(),
    ...(done
      ? {
          completed_at: new Date().toISOString(),
          metrics: { predict_time: scenario.predictTime ?? 1.5, total_time: 2 },
        }
      : {}),
    urls: {
      cancel: `${base}/v1/predictions/${prediction.id}/cancel`,
      get: `${base}/v1/predictions/${prediction.id}`,
      web: `https://replicate.com/p/${prediction.id}`,
    },
  };
}

/** FLUX text-to-image answers a list of URLs (one per num_outputs); the other models one URL. */
function outputOf(base: string, prediction: FakePrediction): string | string[] | null {
  const kind = prediction.scenario.output ?? (prediction.model === "kwaivgi/kling-v2.1" ? "mp4" : "png");
  if (kind === "missing") return null;
  const url =
    typeof kind === "object"
      ? kind.url
      : kind === "html"
        ? `${base}/files/page.html`
        : kind === "huge"
          ? `${base}/files/huge.png`
          : "";
  const fileUrl = (i: number) => url || `${base}/files/${prediction.id}-${i}.${kind}`;
  if (/flux-(schnell|dev)$/.test(prediction.model)) {
    return Array.from({ length: Number(prediction.input.num_outputs ?? 1) }, (_, i) => fileUrl(i));
  }
  return fileUrl(0);
}
