import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendJson, startLoopback, type Loopback, type RecordedRequest } from "./loopback";
import { sampleMp4, samplePng, sendFile } from "./replicate";

/**
 * A fake of fal, on loopback, reached in fal's proxy protocol (what @fal-ai/client's `proxyUrl` and
 * @fal-ai/server-proxy speak): every request comes to this server with the real fal URL in
 * `x-fal-target-url`. Behind it, fal's APIs as documented:
 * - queue (https://docs.fal.ai/model-endpoints/queue): POST queue.fal.run/{model} answers
 *   { request_id, response_url, status_url, cancel_url }; GET …/{owner}/{alias}/requests/{id}/status
 *   answers IN_QUEUE, IN_PROGRESS (with logs) then COMPLETED (with metrics.inference_time);
 *   GET …/requests/{id} the result; PUT …/requests/{id}/cancel.
 * - sync run (what the AI SDK's fal image model calls): POST fal.run/{model} answers the result.
 * - platform API: GET api.fal.ai/v1/models/pricing.
 * Model errors are { detail: [{ loc, msg, type }] } (https://docs.fal.ai/errors), e.g. a 422 of
 * type content_policy_violation. Results name files on this server's /files/..., real PNG and MP4.
 */

export type FalScenario = {
  /** Status answers before COMPLETED: the first IN_QUEUE, the others IN_PROGRESS. */
  polls?: number;
  /** nsfw: a result with has_nsfw_concepts; content_policy: a 422 content_policy_violation; failed: a 500 runner error. */
  outcome?: "completed" | "nsfw" | "content_policy" | "failed";
  /** The submit (queue) or the run (sync) answers this HTTP status with an error body. */
  submitStatus?: number;
  /** The first `times` status requests of each request answer this instead. */
  statusFailure?: { times: number; answer: number | "html" };
  output?: "png" | "mp4" | "html" | "huge" | "missing" | { url: string };
  inferenceTime?: number;
};

export type FalRequestState = {
  id: string;
  model: string;
  input: Record<string, unknown>;
  scenario: FalScenario;
  statusCalls: number;
  canceled: boolean;
};

export type FalFake = Loopback & {
  key: string;
  scenario: FalScenario;
  queued: Map<string, FalRequestState>;
  hugeBytes: number;
  /** Requests by the fal URL they were meant for. */
  targeted(method: string, pattern: RegExp): (RecordedRequest & { target: string; json: Record<string, unknown> })[];
  submits(): (RecordedRequest & { target: string; json: Record<string, unknown> })[];
  runs(): (RecordedRequest & { target: string; json: Record<string, unknown> })[];
};

const contentPolicy = {
  detail: [
    {
      loc: ["body", "prompt"],
      msg: "The content could not be processed because it contained material flagged by a content checker.",
      type: "content_policy_violation",
      url: "https://docs.fal.ai/errors#content_policy_violation",
    },
  ],
};

function failWith(response: ServerResponse, status: number) {
  if (status === 422)
    return sendJson(response, 422, {
      detail: [{ loc: ["body", "image_url"], msg: "Unsupported image format", type: "image_load_error" }],
    });
  if (status === 401) return sendJson(response, 401, { detail: "Cannot access application 'fal-ai': invalid key" });
  const headers: Record<string, string> =
    status === 429 ? { "retry-after": "1" } : { "x-fal-error-type": "runner_scheduling_failure" };
  sendJson(
    response,
    status,
    {
      detail: status === 429 ? "Too many requests" : "No runner could be allocated",
      error_type: "runner_scheduling_failure",
    },
    headers,
  );
}

export async function startFalFake(key = "fal-test-key:secret"): Promise<FalFake> {
  const files = { png: await samplePng(), mp4: sampleMp4() };
  const queued = new Map<string, FalRequestState>();

  const resultOf = (model: string, input: Record<string, unknown>, scenario: FalScenario, id: string) => {
    const kind = scenario.output ?? (model.includes("kling") ? "mp4" : "png");
    const at = (i: number) =>
      typeof kind === "object"
        ? kind.url
        : kind === "html"
          ? `${fake.url}/files/page.html`
          : kind === "huge"
            ? `${fake.url}/files/huge.png`
            : `${fake.url}/files/${id}-${i}.${kind}`;
    const file = (i: number) => ({
      url: at(i),
      content_type: kind === "mp4" ? "video/mp4" : "image/png",
      width: 64,
      height: 48,
    });
    if (kind === "missing") return { seed: 42 };
    if (model.includes("kling"))
      return { video: { url: at(0), content_type: "video/mp4", file_name: "output.mp4", file_size: files.mp4.length } };
    if (/esrgan|codeformer|birefnet/.test(model)) return { image: file(0) };
    const count = Number(input.num_images ?? 1);
    return {
      images: Array.from({ length: count }, (_, i) => file(i)),
      timings: { inference: scenario.inferenceTime ?? 0.4 },
      seed: 42,
      has_nsfw_concepts: Array.from({ length: count }, () => scenario.outcome === "nsfw"),
      prompt: input.prompt,
    };
  };

  const sendResult = (
    response: ServerResponse,
    state: { model: string; input: Record<string, unknown>; scenario: FalScenario; id: string },
  ) => {
    if (state.scenario.outcome === "content_policy") return sendJson(response, 422, contentPolicy);
    if (state.scenario.outcome === "failed")
      return sendJson(
        response,
        500,
        { detail: "Runner failed", error_type: "runner_server_error" },
        { "x-fal-error-type": "runner_server_error" },
      );
    sendJson(response, 200, resultOf(state.model, state.input, state.scenario, state.id));
  };

  const loopback = await startLoopback(async (request, response) => {
    const file = /^\/files\/([^?]+)$/.exec(request.path);
    if (file && request.method === "GET") return sendFile(response, file[1]!, files, fake.hugeBytes);
    const targetHeader = request.headers["x-fal-target-url"];
    if (typeof targetHeader !== "string")
      return sendJson(response, 400, { detail: "missing the x-fal-target-url header" });
    const target = new URL(targetHeader);
    // Like @fal-ai/server-proxy: only fal's own hosts are forwarded.
    if (!/(^|\.)fal\.(run|ai)$/.test(target.hostname))
      return sendJson(response, 412, { detail: `invalid x-fal-target-url: ${target.host}` });
    if (request.headers.authorization !== `Key ${key}`) return failWith(response, 401);
    const path = target.pathname.replace(/^\//, "");
    const body = request.body.length ? (JSON.parse(request.body.toString("utf8")) as Record<string, unknown>) : {};
    const scenario = { ...fake.scenario };

    if (target.hostname === "api.fal.ai" && path === "v1/models/pricing") {
      const endpoint = target.searchParams.get("endpoint_id");
      return sendJson(response, 200, {
        prices: [{ endpoint_id: endpoint, unit_price: 0.003, unit: "megapixels", currency: "USD" }],
      });
    }
    if (target.hostname === "fal.run" && request.method === "POST") {
      if (scenario.submitStatus) return failWith(response, scenario.submitStatus);
      return sendResult(response, { model: path, input: body, scenario, id: randomUUID() });
    }
    if (target.hostname !== "queue.fal.run") return sendJson(response, 404, { detail: `no route for ${target.href}` });

    const requestPath = /^([^/]+\/[^/]+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(path);
    if (!requestPath && request.method === "POST") {
      if (scenario.submitStatus) return failWith(response, scenario.submitStatus);
      const id = randomUUID();
      queued.set(id, { id, model: path, input: body, scenario, statusCalls: 0, canceled: false });
      const base = `https://queue.fal.run/${path.split("/").slice(0, 2).join("/")}/requests/${id}`;
      return sendJson(response, 200, {
        request_id: id,
        response_url: base,
        status_url: `${base}/status`,
        cancel_url: `${base}/cancel`,
        queue_position: 0,
      });
    }
    const state = requestPath ? queued.get(requestPath[2]!) : undefined;
    if (!requestPath || !state || !state.model.startsWith(requestPath[1]!))
      return sendJson(response, 404, { detail: "Request not found" });
    const responseUrl = `https://queue.fal.run/${requestPath[1]}/requests/${state.id}`;
    if (requestPath[3] === "/cancel" && request.method === "PUT") {
      state.canceled = true;
      return sendJson(response, 202, { status: "CANCELLATION_REQUESTED" });
    }
    if (requestPath[3] === "/status" && request.method === "GET") {
      state.statusCalls += 1;
      const failure = state.scenario.statusFailure;
      if (failure && state.statusCalls <= failure.times) {
        if (failure.answer !== "html") return failWith(response, failure.answer);
        response.writeHead(200, { "content-type": "text/html" });
        response.end("<html><body>Gateway error</body></html>");
        return;
      }
      const polls = state.scenario.polls ?? 0;
      if (!state.canceled && state.statusCalls <= polls) {
        const percent = Math.round((state.statusCalls / (polls + 1)) * 100);
        return sendJson(
          response,
          200,
          state.statusCalls === 1
            ? { status: "IN_QUEUE", queue_position: 0, response_url: responseUrl }
            : {
                status: "IN_PROGRESS",
                logs: [
                  {
                    message: `Progress: ${percent}%`,
                    level: "INFO",
                    source: "user",
                    timestamp: new Date().toISOString(),
                  },
                ],
                response_url: responseUrl,
              },
        );
      }
      return sendJson(response, 200, {
        status: "COMPLETED",
        logs: [],
        metrics: { inference_time: state.scenario.inferenceTime ?? 2 },
        response_url: responseUrl,
      });
    }
    if (!requestPath[3] && request.method === "GET") {
      if (state.canceled) return sendJson(response, 400, { detail: "Request was cancelled" });
      return sendResult(response, state);
    }
    sendJson(response, 405, { detail: "Method not allowed" });
  });

  const targeted = (method: string, pattern: RegExp) =>
    loopback.requests
      .filter((r) => r.method === method && pattern.test(String(r.headers["x-fal-target-url"] ?? "")))
      .map((r) => ({
        ...r,
        target: String(r.headers["x-fal-target-url"]),
        json: r.body.length ? (JSON.parse(r.body.toString("utf8")) as Record<string, unknown>) : {},
      }));
  const fake: FalFake = Object.assign(loopback, {
    key,
    scenario: {} as FalScenario,
    queued,
    hugeBytes: 2 * 1024 * 1024,
    targeted,
    submits: () => targeted("POST", /^https:\/\/queue\.fal\.run\//),
    runs: () => targeted("POST", /^https:\/\/fal\.run\//),
  });
  return fake;
}
