import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProviderDirectory, providerConfigPurpose } from "@/features/providers/server/load-directory";
import { systemCtx } from "@/server/context";
import { providerSettings } from "@/server/db/schema";
import { openJson } from "@/server/secret-box";
import { sendJson, startLoopback, type Loopback } from "../fakes/loopback";
import { accountIdOf, moneyState } from "../support/accounts";
import { jsonBody, signUpAndIn, type TestUser } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

// The admin side of providers over real HTTP: keys sealed at rest and shown only as hints,
// availability that follows the admin page without a restart, the fallback order, the connection
// test and the prompt blocklist. The first user signed up is the admin, the second is not.

type Setting = { name: string; env: string; secret: boolean; source: string; value: string | null };
type Provider = {
  id: string;
  enabled: boolean;
  configured: boolean;
  configuredBy: string | null;
  settings: Setting[];
  envVars: string[];
};
type Generator = { id: string; available: boolean; requires: string[] };

const goodKey = "comfy-proxy-key-GOOD-0001";
const wrongKey = "comfy-proxy-key-WRONG-9999";

/**
 * ComfyUI behind an authenticating reverse proxy. GET /system_stats answers like ComfyUI's
 * server.py ({ system: { os, ram_total, ram_free, comfyui_version, python_version, pytorch_version,
 * embedded_python, argv }, devices: [...] }); a wrong bearer token gets a 401 whose body quotes the
 * token back, as some proxies do, so the test can see it is scrubbed.
 */
async function startComfyBehindProxy(): Promise<Loopback> {
  return startLoopback((request, response) => {
    const auth = request.headers.authorization ?? "";
    if (auth !== `Bearer ${goodKey}`) return sendJson(response, 401, { error: `invalid credentials: ${auth}` });
    if (request.method === "GET" && request.path === "/system_stats") {
      return sendJson(response, 200, {
        system: {
          os: "posix",
          ram_total: 67_108_864_000,
          ram_free: 40_000_000_000,
          comfyui_version: "0.3.40",
          python_version: "3.12.3",
          pytorch_version: "2.7.0+cu128",
          embedded_python: false,
          argv: ["main.py", "--listen"],
        },
        devices: [
          {
            name: "cuda:0 NVIDIA RTX 4090",
            type: "cuda",
            index: 0,
            vram_total: 25_756_696_576,
            vram_free: 24_000_000_000,
          },
        ],
      });
    }
    return sendJson(response, 404, { error: "not found" });
  });
}

describe("admin: providers, order, blocklist", () => {
  let server: TestServer;
  let admin: TestUser;
  let member: TestUser;
  let comfy: Loopback;
  const webhookUrl = "http://127.0.0.1:9/pixelwerk-hook";

  beforeAll(async () => {
    comfy = await startComfyBehindProxy();
    // The webhook provider is configured through the environment; nothing else is.
    server = await startTestServer({
      runWorker: false,
      env: { WEBHOOK_PROVIDER_URL: webhookUrl, PROMPT_BLOCKLIST: "gore, blood bath" },
    });
    admin = await signUpAndIn(server.baseUrl);
    member = await signUpAndIn(server.baseUrl);
  });
  afterAll(async () => {
    await server?.close();
    await comfy?.close();
  });

  const patch = (id: string, body: unknown, user = admin, headers: Record<string, string> = {}) =>
    user.json<{ provider: Provider; error?: { code: string; message: string; fields?: Record<string, string[]> } }>(
      `/api/v1/admin/providers/${id}`,
      { method: "PATCH", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) },
    );
  const put = (path: string, body: unknown, user = admin) =>
    user.json<Record<string, unknown> & { error?: { code: string; fields?: Record<string, string[]> } }>(path, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const providers = async () => (await admin.json<{ providers: Provider[] }>("/api/v1/admin/providers")).body.providers;
  const generators = async () =>
    (await (await fetch(`${server.baseUrl}/api/v1/generators`)).json()).generators as Generator[];

  it("refuses everyone but the admin", async () => {
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/v1/admin/providers"],
      ["PATCH", "/api/v1/admin/providers/comfyui", { enabled: false }],
      ["POST", "/api/v1/admin/providers/comfyui/test"],
      ["GET", "/api/v1/admin/provider-order"],
      ["PUT", "/api/v1/admin/provider-order", { order: {} }],
      ["GET", "/api/v1/admin/prompt-blocklist"],
      ["PUT", "/api/v1/admin/prompt-blocklist", { terms: ["x"] }],
      ["GET", "/api/v1/admin/jobs"],
      ["GET", "/api/v1/admin/costs?days=30"],
    ];
    for (const [method, path, body] of calls) {
      const init = {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      };
      const refused = await member.json<{ error: { code: string } }>(path, init);
      expect([method, path, refused.status, refused.body.error.code]).toEqual([method, path, 403, "forbidden"]);
      const anonymous = await fetch(server.baseUrl + path, init);
      expect([method, path, anonymous.status]).toEqual([method, path, 401]);
    }
    // Nothing the member tried changed anything.
    expect(await server.rt.db.select().from(providerSettings)).toEqual([]);
  });

  it("documents the admin routes in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths["/admin/providers/{id}"] ?? {})).toEqual(["patch"]);
    expect(Object.keys(doc.paths["/admin/provider-order"] ?? {}).sort()).toEqual(["get", "put"]);
    expect(Object.keys(doc.paths["/admin/prompt-blocklist"] ?? {}).sort()).toEqual(["get", "put"]);
    for (const path of ["/admin/providers", "/admin/jobs", "/admin/costs"])
      expect(Object.keys(doc.paths[path] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.paths["/admin/providers/{id}/test"] ?? {})).toEqual(["post"]);
  });

  it("lists every adapter with where its settings come from", async () => {
    const list = await providers();
    const webhook = list.find((p) => p.id === "webhook")!;
    expect(webhook).toMatchObject({
      enabled: true,
      configured: true,
      configuredBy: "env",
      envVars: ["WEBHOOK_PROVIDER_URL", "WEBHOOK_PROVIDER_SECRET"],
    });
    expect(webhook.settings.find((s) => s.name === "url")).toMatchObject({
      source: "env",
      value: webhookUrl,
      env: "WEBHOOK_PROVIDER_URL",
    });
    expect(list.find((p) => p.id === "comfyui")).toMatchObject({ configured: false, configuredBy: null });
    expect(list.find((p) => p.id === "local")).toMatchObject({
      configured: true,
      configuredBy: "builtin",
      settings: [],
    });
  });

  it("disabling an env-configured provider makes its generators unavailable, enabling brings them back", async () => {
    const before = (await generators()).find((g) => g.id === "text-to-image")!;
    expect(before.available).toBe(true); // through the webhook alone

    expect((await patch("webhook", { enabled: false })).body.provider).toMatchObject({
      enabled: false,
      configured: true,
    });
    const off = await generators();
    expect(off.find((g) => g.id === "text-to-image")).toMatchObject({ available: false });
    expect(off.find((g) => g.id === "text-to-image")!.requires).toContain("COMFYUI_URL");
    const jobWhileOff = await member.json<{ error: { code: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "text-to-image", inputs: { prompt: "a lighthouse at dusk" } }),
    );
    expect([jobWhileOff.status, jobWhileOff.body.error.code]).toEqual([503, "provider_not_configured"]);

    await patch("webhook", { enabled: true });
    expect((await generators()).find((g) => g.id === "text-to-image")!.available).toBe(true);
    await patch("webhook", { enabled: false }); // the next tests want ComfyUI alone
  });

  it("stores a key sealed, shows only a hint, and makes ComfyUI's generators available without a restart", async () => {
    // Whatever the catalog says needs ComfyUI (it names COMFYUI_URL among its requirements).
    const dependent = (await generators()).filter((g) => g.requires.includes("COMFYUI_URL"));
    expect(dependent.map((g) => g.id)).toContain("text-to-image");
    expect(dependent.every((g) => !g.available)).toBe(true);

    const saved = await patch("comfyui", { settings: { url: comfy.url, apiKey: goodKey } });
    expect(saved.status).toBe(200);
    expect(saved.body.provider).toMatchObject({ configured: true, configuredBy: "admin" });

    // At rest: sealed, the plaintext nowhere in the row; the app secret opens it.
    const [row] = await server.rt.db.select().from(providerSettings).where(eq(providerSettings.providerId, "comfyui"));
    expect(JSON.stringify(row)).not.toContain(goodKey);
    expect(JSON.stringify(row)).not.toContain(comfy.url);
    expect(openJson(server.rt.env.APP_SECRET, providerConfigPurpose, row!.sealedConfig!)).toEqual({
      url: comfy.url,
      apiKey: goodKey,
    });

    // Over the API: the URL in full, the key as its last four characters only.
    const listed = await admin.request("/api/v1/admin/providers");
    const text = await listed.text();
    expect(text).not.toContain(goodKey);
    const comfyView = (JSON.parse(text) as { providers: Provider[] }).providers.find((p) => p.id === "comfyui")!;
    expect(comfyView.settings).toEqual([
      expect.objectContaining({ name: "url", source: "admin", value: comfy.url, secret: false }),
      expect.objectContaining({ name: "apiKey", source: "admin", value: "••••0001", secret: true }),
    ]);

    const after = await generators();
    for (const { id } of dependent) expect([id, after.find((g) => g.id === id)!.available]).toEqual([id, true]);

    // Clearing the URL (null) leaves the environment's value, which is unset: unavailable again.
    const cleared = await patch("comfyui", { settings: { url: null } });
    expect(cleared.body.provider).toMatchObject({ configured: false, configuredBy: null });
    expect(cleared.body.provider.settings[0]).toMatchObject({ name: "url", source: "unset", value: null });
    const again = await generators();
    for (const { id } of dependent) expect([id, again.find((g) => g.id === id)!.available]).toEqual([id, false]);
  });

  it("refuses unknown settings, non-http URLs and unknown providers, in the caller's language, changing nothing", async () => {
    const [before] = await server.rt.db
      .select()
      .from(providerSettings)
      .where(eq(providerSettings.providerId, "comfyui"));
    const bad = await patch("comfyui", {
      settings: { url: "ftp://files.example/comfy", apiKey: "x".repeat(20), nope: "1" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "validation_failed" });
    expect(Object.keys(bad.body.error!.fields!).sort()).toEqual(["settings.nope", "settings.url"]);
    expect(bad.body.error!.fields!["settings.url"]).toEqual(["Enter an http:// or https:// URL."]);

    const hint = await patch("comfyui", { settings: { apiKey: "••••0001" } });
    expect(hint.body.error!.fields).toEqual({
      "settings.apiKey": ["Type the whole value again: •••• stands for a hidden part."],
    });

    const german = await patch("comfyui", { settings: { url: "javascript:alert(1)" } }, admin, {
      "accept-language": "de",
    });
    expect(german.body.error!.fields!["settings.url"]).toEqual(["Gib eine URL mit http:// oder https:// ein."]);
    const [after] = await server.rt.db
      .select()
      .from(providerSettings)
      .where(eq(providerSettings.providerId, "comfyui"));
    expect(after).toEqual(before);

    const unknown = await patch("no-such-vendor", { enabled: false });
    expect([unknown.status, unknown.body.error!.code]).toEqual([404, "not_found"]);
    const unknownTest = await admin.json<{ error: { code: string } }>("/api/v1/admin/providers/no-such-vendor/test", {
      method: "POST",
    });
    expect(unknownTest.status).toBe(404);
  });

  it("tests the connection: a 401 is reported as misconfigured with the key scrubbed, the right key connects", async () => {
    const missing = await admin.json<{ ok: boolean; failure: string; message: string }>(
      "/api/v1/admin/providers/comfyui/test",
      { method: "POST" },
    );
    expect(missing.body).toMatchObject({ ok: false, failure: "misconfigured" });
    expect(missing.body.message).toContain("COMFYUI_URL");

    await patch("comfyui", { settings: { url: comfy.url, apiKey: wrongKey } });
    const seen = comfy.requests.length;
    const failed = await admin.json<{ ok: boolean; failure: string; message: string }>(
      "/api/v1/admin/providers/comfyui/test",
      { method: "POST" },
    );
    expect(failed.body).toMatchObject({ ok: false, failure: "misconfigured" });
    expect(failed.body.message).toContain("401");
    expect(failed.body.message).toContain("Bearer ••••");
    expect(failed.body.message).not.toContain(wrongKey);
    // It really asked the server, with the key the admin typed.
    expect(comfy.requests.slice(seen).map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ["GET", "/system_stats", `Bearer ${wrongKey}`],
    ]);

    await patch("comfyui", { settings: { apiKey: goodKey } });
    const ok = await admin.json<{ ok: boolean; latencyMs: number }>("/api/v1/admin/providers/comfyui/test", {
      method: "POST",
    });
    expect(ok.body).toEqual({ ok: true, latencyMs: expect.any(Number) });
  });

  it("tests OpenAI against its base URL: a rejected key is misconfigured", async () => {
    // OpenAI's answer to a bad key on GET /v1/models: 401 with { error: { message, type, param, code } }
    // ("Error codes" in the API reference; the body as users quote it, e.g. continuedev/continue#11409).
    const openai = await startLoopback((_request, response) =>
      sendJson(response, 401, {
        error: {
          message:
            "Incorrect API key provided: sk-test-***********0042. You can find your API key at https://platform.openai.com/account/api-keys.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      }),
    );
    try {
      const key = "sk-test-rejected-key-0042";
      expect((await patch("openai", { settings: { apiKey: key, baseUrl: `${openai.url}/v1` } })).status).toBe(200);
      const result = await admin.json<{ ok: boolean; failure: string; message: string }>(
        "/api/v1/admin/providers/openai/test",
        { method: "POST" },
      );
      expect(result.body).toMatchObject({ ok: false, failure: "misconfigured" });
      expect(result.body.message).not.toContain(key);
      expect(openai.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
        ["GET", "/v1/models", `Bearer ${key}`],
      ]);
    } finally {
      await patch("openai", { settings: { apiKey: null, baseUrl: null } });
      await openai.close();
    }
  });

  it("keeps a fallback order per capability: validated, and used by the next job's directory", async () => {
    const initial = await admin.json<{ capabilities: { capability: string; providers: { id: string }[] }[] }>(
      "/api/v1/admin/provider-order",
    );
    const textToImage = initial.body.capabilities.find((c) => c.capability === "text-to-image")!;
    expect(textToImage.providers.map((p) => p.id)).toEqual(expect.arrayContaining(["comfyui", "webhook"]));
    expect(textToImage.providers.map((p) => p.id)).not.toContain("local");

    for (const [order, field] of [
      [{ "text-to-image": ["no-such-vendor"] }, "order.text-to-image"],
      [{ "text-to-image": ["local"] }, "order.text-to-image"],
      [{ upscale: ["comfyui", "comfyui"] }, "order.upscale"],
    ] as const) {
      const refused = await put("/api/v1/admin/provider-order", { order });
      expect([refused.status, refused.body.error?.code, Object.keys(refused.body.error?.fields ?? {})]).toEqual([
        400,
        "validation_failed",
        [field],
      ]);
    }
    expect((await admin.json<{ order: object }>("/api/v1/admin/provider-order")).body.order).toEqual({});

    const saved = await put("/api/v1/admin/provider-order", {
      order: { "text-to-image": ["webhook", "comfyui"], upscale: [] },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.order).toEqual({ "text-to-image": ["webhook", "comfyui"] });
    const reread = await admin.json<{
      order: object;
      capabilities: { capability: string; providers: { id: string }[] }[];
    }>("/api/v1/admin/provider-order");
    expect(reread.body.order).toEqual({ "text-to-image": ["webhook", "comfyui"] });
    expect(
      reread.body.capabilities
        .find((c) => c.capability === "text-to-image")!
        .providers.slice(0, 2)
        .map((p) => p.id),
    ).toEqual(["webhook", "comfyui"]);

    // Both configured and enabled: the directory a job loads tries them in the admin's order.
    await patch("webhook", { enabled: true });
    const directory = await loadProviderDirectory({ ctx: systemCtx(server.rt.services, "test") });
    expect(directory.candidates("text-to-image", { family: "flux-schnell" }).map((c) => c.providerId)).toEqual([
      "webhook",
      "comfyui",
    ]);
    await put("/api/v1/admin/provider-order", { order: { "text-to-image": ["comfyui", "webhook"] } });
    const reordered = await loadProviderDirectory({ ctx: systemCtx(server.rt.services, "test") });
    expect(reordered.candidates("text-to-image", { family: "flux-schnell" }).map((c) => c.providerId)).toEqual([
      "comfyui",
      "webhook",
    ]);
  });

  it("blocks prompts with the admin's terms before anything is held", async () => {
    const list = await admin.json<{ terms: string[]; envTerms: string[] }>("/api/v1/admin/prompt-blocklist");
    expect(list.body).toEqual({ terms: [], envTerms: ["gore", "blood bath"] });

    const accountId = await accountIdOf(member);
    const before = await moneyState(server.rt.db, accountId);
    const submit = (prompt: string) =>
      member.json<{ error?: { code: string; message: string }; job?: { id: string } }>(
        "/api/v1/jobs",
        jsonBody({ generator: "text-to-image", inputs: { prompt, model: "flux-schnell" } }),
      );

    const saved = await put("/api/v1/admin/prompt-blocklist", {
      terms: ["  Red Balloon ", "red balloon", "", "clown"],
    });
    expect(saved.body).toEqual({ terms: ["Red Balloon", "clown"], envTerms: ["gore", "blood bath"] });

    for (const [prompt, term] of [
      ["A RED   balloon over the sea", "Red Balloon"],
      ["a sad clown", "clown"],
      ["a gore scene", "gore"],
    ]) {
      const refused = await submit(prompt!);
      expect([refused.status, refused.body.error?.code]).toEqual([400, "prompt_blocked"]);
      expect(refused.body.error?.message).toContain(term);
    }
    const after = await moneyState(server.rt.db, accountId);
    expect({ balance: after.balance, held: after.held, jobs: after.jobs.length, holds: after.holds.length }).toEqual({
      balance: before.balance,
      held: before.held,
      jobs: before.jobs.length,
      holds: before.holds.length,
    });

    // A prompt with none of the terms passes the blocklist (and is accepted: ComfyUI serves it).
    const allowed = await submit("a blue balloon over the sea");
    expect(allowed.status).toBe(202);

    // Emptied, the admin's terms stop applying; the environment's stay.
    await put("/api/v1/admin/prompt-blocklist", { terms: [] });
    expect((await submit("a sad clown")).status).toBe(202);
    expect((await submit("a gore scene")).body.error?.code).toBe("prompt_blocked");
  });
});
