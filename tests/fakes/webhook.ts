import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { ServerResponse } from "node:http";
import sharp from "sharp";
import { sendJson, startLoopback, type Loopback, type RecordedRequest } from "./loopback";

/**
 * An operator's workflow endpoint as n8n serves one ("Webhook" trigger at /webhook/<path>, answered
 * by a "Respond to Webhook" node with binary data or JSON) speaking Pixelwerk's webhook contract
 * (docs/webhook-provider.md). Like a real receiver it recomputes the HMAC signature over
 * "<timestamp>.<raw body>", refuses stale timestamps, and answers 401 when either is wrong.
 */

export type WebhookFinal =
  | { kind: "image" }
  | { kind: "imageUrl"; url?: string; costMicros?: number }
  | { kind: "images"; count: number; costMicros?: number }
  | { kind: "videoUrl"; costMicros?: number }
  | { kind: "failed"; error: string; blocked?: boolean; status?: number };

/** How the endpoint answers the POST; chosen per test. */
export type WebhookAnswer =
  WebhookFinal | { kind: "task"; pollsUntilDone: number; final: WebhookFinal; pollUrl?: (taskId: string) => string };

export type WebhookFake = Loopback & {
  /** The webhook URL to configure (WEBHOOK_PROVIDER_URL). */
  webhookUrl: string;
  answer: WebhookAnswer;
  /** Request bodies that passed the signature check, parsed. */
  payloads: Record<string, unknown>[];
  badSignatures: number;
  /** The next this many polls answer 503. */
  pollFailures: number;
  /** The receiver's secret; change it to simulate a rotated secret. */
  secret: string | undefined;
  tasks: Map<string, { polls: number; final: WebhookFinal }>;
  count(method: string, pathPrefix: string): number;
};

export const fakeResultSize = { width: 64, height: 48 };

export async function startWebhookFake(options: { secret?: string; answer: WebhookAnswer }): Promise<WebhookFake> {
  const tasks = new Map<string, { polls: number; final: WebhookFinal }>();
  const payloads: Record<string, unknown>[] = [];
  const result = await sharp({ create: { ...fakeResultSize, channels: 3, background: { r: 10, g: 200, b: 90 } } })
    .png()
    .toBuffer();

  const loopback = await startLoopback(async (request, response) => {
    const path = new URL(request.path, "http://n8n").pathname;
    if (request.method === "GET" && path.startsWith("/files/")) {
      if (path.endsWith(".mp4")) {
        response.writeHead(200, { "content-type": "video/mp4" });
        response.end(fakeMp4());
        return;
      }
      response.writeHead(200, { "content-type": "image/png" });
      response.end(result);
      return;
    }
    if (!signatureValid(request)) {
      fake.badSignatures++;
      return sendJson(response, 401, { code: 401, message: "Authorization data is wrong!" });
    }
    if (request.method === "POST" && path === "/webhook/pixelwerk") {
      const payload = JSON.parse(request.body.toString()) as Record<string, unknown>;
      payloads.push(payload);
      if (payload.capability === "ping") return sendJson(response, 200, { ok: true });
      const answer = fake.answer;
      if (answer.kind !== "task") return respond(response, answer);
      const taskId = randomUUID();
      tasks.set(taskId, { polls: 0, final: answer.final });
      return sendJson(response, 202, {
        taskId,
        pollUrl: answer.pollUrl?.(taskId) ?? `/webhook/pixelwerk/tasks/${taskId}`,
      });
    }
    if (request.method === "GET" && path.startsWith("/webhook/pixelwerk/tasks/")) {
      const task = tasks.get(path.split("/").pop()!);
      if (!task) return sendJson(response, 404, { message: "unknown task" });
      if (fake.pollFailures > 0) {
        fake.pollFailures--;
        return sendJson(response, 503, { message: "Workflow could not be started" });
      }
      task.polls++;
      const answer = fake.answer;
      const pollsUntilDone = answer.kind === "task" ? answer.pollsUntilDone : 0;
      if (task.polls <= pollsUntilDone)
        return sendJson(response, 200, { status: "processing", progress: task.polls / (pollsUntilDone + 1) });
      return respond(response, task.final);
    }
    sendJson(response, 404, { message: "The requested webhook is not registered." });
  });

  async function respond(response: ServerResponse, answer: WebhookFinal) {
    switch (answer.kind) {
      case "image":
        response.writeHead(200, { "content-type": "image/png" });
        response.end(result);
        return;
      case "imageUrl":
        return sendJson(response, 200, {
          imageUrl: answer.url ?? `${loopback.url}/files/result.png`,
          costMicros: answer.costMicros,
        });
      case "images": {
        // The first inline, the rest as URLs: both forms in one answer.
        const images = Array.from({ length: answer.count }, (_, i) =>
          i === 0 ? `data:image/png;base64,${result.toString("base64")}` : `${loopback.url}/files/result-${i}.png`,
        );
        return sendJson(response, 200, { images, costMicros: answer.costMicros });
      }
      case "videoUrl":
        return sendJson(response, 200, { videoUrl: "/files/clip.mp4", costMicros: answer.costMicros });
      case "failed":
        return sendJson(response, answer.status ?? 200, {
          status: "failed",
          error: answer.error,
          blocked: answer.blocked,
        });
    }
  }

  function signatureValid(request: RecordedRequest): boolean {
    const secret = fake.secret;
    if (!secret) return true;
    const timestamp = String(request.headers["x-pixelwerk-timestamp"] ?? "");
    const signature = String(request.headers["x-pixelwerk-signature"] ?? "");
    if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(request.body).digest("hex")}`;
    return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
  }

  const fake: WebhookFake = {
    ...loopback,
    webhookUrl: `${loopback.url}/webhook/pixelwerk`,
    answer: options.answer,
    payloads,
    badSignatures: 0,
    pollFailures: 0,
    secret: options.secret,
    tasks,
    count: (method, prefix) => loopback.requests.filter((r) => r.method === method && r.path.startsWith(prefix)).length,
  };
  return fake;
}

/** The first bytes of an MP4 (an ISO BMFF "ftyp" box), enough for the output check. */
export function fakeMp4(): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from("ftypisom"),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from("isomiso2"),
  ]);
  return Buffer.concat([ftyp, Buffer.alloc(64)]);
}
